from asgiref.sync import async_to_sync
from django.db import transaction
from django.tasks import TaskContext, task

from firstcall.core.audit import ChangeContext
from firstcall.customers import cache, services
from firstcall.integrations import registry


@task(takes_context=True)
def finish_pending_repairs(context: TaskContext) -> int:
    """Settle repairs a stopped process left pending (older than their system's timeout plus a
    margin) by reading their platforms back now; nothing is sent again. The reads run with no
    transaction held; the rows are settled in one short transaction. Returns how many."""
    ctx = ChangeContext.for_job("finish_pending_repairs", str(context.task_result.id))
    found = async_to_sync(_read_back_pending)()
    with transaction.atomic():
        return len(services.settle_pending_repairs(ctx, found))


async def _read_back_pending() -> services.PendingReadBack:
    try:
        return await services.read_back_pending()
    finally:
        # The back ends' sessions belong to this run's event loop, which ends with it.
        await registry.close_sessions()


@task()
def purge_call_cache() -> int:
    """Delete back-end answers kept past the length of a call."""
    with transaction.atomic():
        return cache.purge_expired()
