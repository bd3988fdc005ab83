"""Scheduled jobs: a Django task enqueued every so often, by one worker however many run.

Each job of the table (`firstcall/schedule.py`) has a timer `(schedule, <name>)` whose payload
names the task and its interval. When it is due, the worker that wins its claim enqueues the task
on the database queue and arms the timer for the next run, in one transaction; the other workers
find nothing to claim. The timers are the schedule's state: the last run (`fired_at`) and the
next (`due_at`) survive restarts and are shown on the background-work page.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.tasks import Task
from django.utils.module_loading import import_string

from firstcall.core import clock, timers
from firstcall.core.audit import ChangeContext
from firstcall.core.models import Timer

KIND = "schedule"


@dataclass(frozen=True)
class Job:
    name: str
    task: Task
    every: timedelta
    label: str = ""  # an English msgid (gettext_noop): the page translates it


def payload_of(job: Job, backend: str) -> dict[str, Any]:
    return {
        "name": job.name,
        "label": job.label or job.name,
        "task": job.task.module_path,
        "every": int(job.every.total_seconds()),
        "backend": backend,
    }


def install(jobs: list[Job], backend: str) -> None:
    """Give every job its timer (first run: now); a changed task or interval is taken over, and
    the timers of jobs no longer in the table are removed. Every worker does this at start."""
    ctx = ChangeContext.for_job("schedule.install")
    with transaction.atomic():
        for job in jobs:
            payload = payload_of(job, backend)
            timer, created = timers.ensure(ctx, KIND, clock.now(), key=job.name, payload=payload)
            if not created and timer.payload != payload:
                Timer.objects.filter(pk=timer.pk).update(payload=payload)
        Timer.objects.filter(kind=KIND).exclude(key__in=[job.name for job in jobs]).delete()


def next_run(due_at: datetime, every: timedelta, now: datetime) -> datetime:
    """The next run after `due_at` on its grid; runs missed while no worker ran are skipped."""
    following = due_at + every
    if following > now:
        return following
    missed = (now - due_at) // every
    return due_at + every * (missed + 1)


def run_job(ctx: ChangeContext, payload: dict[str, Any]) -> None:
    """The handler of `schedule` timers: enqueue the task, arm the next run."""
    task = import_string(payload["task"])
    if not isinstance(task, Task):
        raise TypeError(f"{payload['task']} is not a task")
    task.using(backend=payload["backend"]).enqueue()
    every = timedelta(seconds=payload["every"])
    due_at = datetime.fromisoformat(payload["due_at"])
    keep = {k: v for k, v in payload.items() if k != "due_at"}
    timers.arm(ctx, KIND, next_run(due_at, every, clock.now()), key=payload["name"], payload=keep)
