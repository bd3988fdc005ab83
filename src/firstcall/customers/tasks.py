from asgiref.sync import async_to_sync
from django.tasks import TaskContext, task

from firstcall.core.audit import ChangeContext
from firstcall.customers import cache, services


@task(takes_context=True)
def finish_pending_repairs(context: TaskContext) -> int:
    """Finish repairs a stopped process left pending: resend with the same key, verify, record."""
    ctx = ChangeContext.for_job("finish_pending_repairs", context.task_result.id)
    return len(async_to_sync(services.finish_pending)(ctx))


@task()
def purge_call_cache() -> int:
    """Delete back-end answers kept past the length of a call."""
    return cache.purge_expired()
