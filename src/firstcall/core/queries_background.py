"""Reads of the background work for its page: outbox messages by state, timers due soon, the
scheduled jobs' last and next runs."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from firstcall.core import clock, outbox, schedule, timers
from firstcall.core.models import OutboxMessage, Timer

PAGE = 50


def messages(state: str, before: int | None = None) -> list[OutboxMessage]:
    """One page of messages in a state, newest first (keyset: ids below `before`)."""
    rows: QuerySet[OutboxMessage] = OutboxMessage.objects.filter(state=state)
    if before is not None:
        rows = rows.filter(pk__lt=before)
    page = list(rows.order_by("-id")[:PAGE])
    for message in page:
        event = message.payload.get("type") if message.kind == "event" else None
        message.label = outbox.label_of(str(event)) if event else outbox.label_of(message.kind)  # type: ignore[attr-defined]
    return page


def waiting_counts() -> dict[str, int]:
    """Pending and dead messages (small by nature; delivered ones are not counted)."""
    return {
        state: OutboxMessage.objects.filter(state=state).count()
        for state in (OutboxMessage.State.PENDING, OutboxMessage.State.DEAD)
    }


def timers_due_soon(limit: int = 20) -> list[Timer]:
    """Pending timers that are not a scheduled job's, the next due first; failed ones too."""
    pending = Timer.objects.exclude(kind=schedule.KIND).filter(
        state__in=(Timer.State.PENDING, Timer.State.FAILED)
    )
    rows = list(pending.order_by("due_at")[:limit])
    for timer in rows:
        timer.label = timers.label_of(timer.kind)  # type: ignore[attr-defined]
    return rows


def every(seconds: int) -> str:
    if seconds and seconds % 86400 == 0:
        n = seconds // 86400
        return gettext("every day") if n == 1 else gettext("every %(n)s days") % {"n": n}
    if seconds and seconds % 3600 == 0:
        n = seconds // 3600
        return gettext("every hour") if n == 1 else gettext("every %(n)s hours") % {"n": n}
    if seconds and seconds % 60 == 0:
        n = seconds // 60
        return gettext("every minute") if n == 1 else gettext("every %(n)s minutes") % {"n": n}
    return gettext("every %(n)s seconds") % {"n": seconds}


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    label: str
    every: str
    next_run: datetime
    last_run: datetime | None
    last_result: Any  # the newest DBTaskResult of its task, if any
    overdue: bool


def scheduled_jobs() -> list[ScheduledJob]:
    now = clock.now()
    jobs = []
    for timer in Timer.objects.filter(kind=schedule.KIND).order_by("key"):
        task_path = str(timer.payload.get("task", ""))
        result = DBTaskResult.objects.filter(task_path=task_path).order_by("-enqueued_at").first()
        jobs.append(
            ScheduledJob(
                name=timer.key,
                label=gettext(str(timer.payload.get("label") or timer.key)),
                every=every(int(timer.payload.get("every", 0))),
                next_run=timer.due_at,
                last_run=timer.fired_at,
                last_result=result,
                overdue=timer.state == Timer.State.PENDING
                and (now - timer.due_at).total_seconds() > 60,
            )
        )
    return jobs
