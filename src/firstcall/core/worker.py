"""The worker: fires due timers, delivers the outbox, runs queued tasks. `firstcall worker`.

One loop, in this order each round: a batch of due timers (a scheduled job's timer enqueues its
task), a batch of due outbox messages, then queued Django tasks (the `django-tasks-db` queue,
run by django-tasks-db's own runner). Every row is claimed through `core.claims` before it is
worked on, so any number of workers may run against one database: each timer fires once, each
message is delivered by one worker at a time, each task runs once. Claims have leases: the rows
of a worker killed mid-work become due again when the lease ends.

SIGTERM or SIGINT stops the worker after the row in hand; what it had claimed but not started is
given back. A second signal stops it at once (the leases then cover what it was doing).
"""

import logging
import os
import signal
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from types import FrameType

from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.db.models import F
from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker as TaskRunner
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

from firstcall.core import claims, clock, outbox, schedule, timers

logger = logging.getLogger(__name__)
REAP_EVERY_SECONDS = 60.0
# django-tasks-db's own order of the queue: priority, then run_after, then the oldest first.
ORDER = (F("priority").desc(), F("run_after").asc(), F("enqueued_at").asc())


def queue_backend() -> str:
    """The task backend the worker serves: `default` when it is the database queue (production,
    the demo), else the first database backend configured (tests)."""
    aliases = ["default", *(a for a in task_backends.settings if a != "default")]
    for alias in aliases:
        if alias in task_backends.settings and isinstance(task_backends[alias], DatabaseBackend):
            return alias
    raise LookupError("no django_tasks_db.DatabaseBackend is configured in TASKS")


def _refresh_connections() -> None:
    """Drop broken or expired connections between rounds, as Django does between requests;
    not inside an outer transaction (a test's), which must stay open."""
    if not connection.in_atomic_block:
        close_old_connections()


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class Worker:
    worker_id: str = field(default_factory=new_worker_id)
    backend: str = field(default_factory=queue_backend)
    batch: int = 100
    lease: timedelta = timedelta(seconds=60)
    task_lease: timedelta = timedelta(minutes=15)
    idle: float = 1.0
    jobs: list[schedule.Job] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._runner = TaskRunner(
            queue_names=["*"],
            interval=self.idle,
            batch=False,
            backend_name=self.backend,
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id[:64],
            excluded_queue_names=[],
        )
        self._signals = 0
        self._next_reap = 0.0

    # --- running ------------------------------------------------------------------------------

    def run(self, *, until_idle: bool = False) -> None:
        """Work until stopped (or, with `until_idle`, until a round finds nothing to do)."""
        logger.info("worker %s started (queue backend %s)", self.worker_id, self.backend)
        if self.jobs:
            schedule.install(self.jobs, self.backend)
        while not self.stopping.is_set():
            _refresh_connections()
            try:
                done = self.round()
            except (OperationalError, InterfaceError) as exc:
                if until_idle or connection.in_atomic_block:
                    raise
                # SQLite busy beyond its timeout, or the database restarting: the claims are
                # in the database, so the worker waits and carries on where it was.
                if not (isinstance(exc, OperationalError) and is_locked_database_exception(exc)):
                    logger.warning("worker %s: database unavailable: %s", self.worker_id, exc)
                    connection.close()
                    self.stopping.wait(min(30.0, 5 * self.idle))
                done = 0
            _refresh_connections()
            if done == 0:
                if until_idle:
                    break
                self.stopping.wait(self.pause())
        logger.info("worker %s stopped", self.worker_id)

    def pause(self) -> float:
        """How long an idle worker waits: its idle period, or less when a timer comes due
        sooner (so a timer fires at its time, not up to an idle period late)."""
        now = clock.now()
        try:
            upcoming = timers.next_due_at(now, timedelta(seconds=self.idle))
        except (OperationalError, InterfaceError):
            return self.idle
        if upcoming is None:
            return self.idle
        return min(self.idle, max(0.0, (upcoming - now).total_seconds()))

    def round(self) -> int:
        """One pass over the three kinds of work; the number of rows worked on."""
        claims.commit_mode(relaxed=True)  # the worker's own transactions (claims.commit_mode)
        if time.monotonic() >= self._next_reap:
            self._next_reap = time.monotonic() + REAP_EVERY_SECONDS
            self.reap_tasks()
        return self.fire_timers() + self.deliver_outbox() + self.run_tasks()

    def fire_timers(self) -> int:
        ids = timers.claim(self.worker_id, limit=self.batch, lease=self.lease)
        rows = timers.claimed(ids, self.worker_id)
        for n, timer in enumerate(rows):
            if self.stopping.is_set():
                timers.release([t.pk for t in rows[n:]], self.worker_id)
                return n
            timers.fire(timer, self.worker_id)
        return len(rows)

    def deliver_outbox(self) -> int:
        ids = outbox.claim(self.worker_id, limit=self.batch, lease=self.lease)
        rows = outbox.claimed(ids, self.worker_id)
        for n, message in enumerate(rows):
            if self.stopping.is_set():
                outbox.release([m.pk for m in rows[n:]], self.worker_id)
                return n
            outbox.deliver(message, self.worker_id)
        return len(rows)

    def run_tasks(self) -> int:
        """Run queued tasks one at a time, each claimed first; a task opens its own
        transaction (one per job)."""
        ran = 0
        while ran < self.batch and not self.stopping.is_set():
            ready = DBTaskResult.objects.ready().filter(backend_name=self.backend)
            ready = ready.order_by(*ORDER)
            mark = {
                "status": TaskResultStatus.RUNNING,
                "started_at": timezone.now(),
                "worker_ids": [self.worker_id[:64]],
            }
            won = claims.claim(ready, limit=1, mark=mark)
            if not won:
                break
            claims.commit_mode(relaxed=False)  # a task's commits are durable, as a request's
            self._runner.run_task(DBTaskResult.objects.get(pk=won[0]))
            ran += 1
        return ran

    def reap_tasks(self) -> int:
        """Tasks left running by a worker that died are failed after the task lease: a
        scheduled job runs again at its next turn; a task enqueued once is shown failed."""
        cutoff = timezone.now() - self.task_lease
        with transaction.atomic():
            return DBTaskResult.objects.filter(
                status=TaskResultStatus.RUNNING, started_at__lt=cutoff
            ).update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path="firstcall.core.worker.LeaseExpired",
                traceback=f"The task ran longer than its lease ({self.task_lease}); its worker "
                "is taken to have stopped.",
            )

    # --- stopping -----------------------------------------------------------------------------

    def stop(self, signum: int = signal.SIGTERM, frame: FrameType | None = None) -> None:
        self._signals += 1
        if self._signals > 1:
            logger.warning("worker %s: second signal, stopping at once", self.worker_id)
            raise SystemExit(1)
        logger.info("worker %s: %s, stopping", self.worker_id, signal.Signals(signum).name)
        self.stopping.set()

    def install_signals(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
