from django.db import transaction
from django.tasks import TaskContext, task

from firstcall.accounts import services
from firstcall.core.audit import ChangeContext


@task(takes_context=True)
def expire_api_tokens(context: TaskContext) -> int:
    """Deactivate every token past its expiry; one audit row per token, with the job id."""
    ctx = ChangeContext.for_job("expire_api_tokens", context.task_result.id)
    with transaction.atomic():
        return services.deactivate_expired_tokens(ctx)
