from datetime import timedelta

from django.db import transaction
from django.tasks import task
from django_tasks_db.models import DBTaskResult

from firstcall.core import clock
from firstcall.core.models import OutboxMessage, Timer

KEEP = timedelta(days=7)


@task()
def purge_background_history() -> int:
    """Delete what the worker finished more than a week ago: delivered messages, fired timers
    (a scheduled job's timer is never fired for long: it is armed again) and finished tasks.
    Dead messages stay until someone retries them."""
    before = clock.now() - KEEP
    with transaction.atomic():
        messages, _ = OutboxMessage.objects.filter(
            state=OutboxMessage.State.DELIVERED, delivered_at__lt=before
        ).delete()
        fired, _ = Timer.objects.filter(state=Timer.State.FIRED, fired_at__lt=before).delete()
        tasks, _ = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    return messages + fired + tasks
