"""The worker as processes: two racing workers run each queued task once; a worker killed with
SIGKILL in the middle of a delivery leaves the message to be delivered after the restart (when
its lease ends); SIGTERM lets it finish the delivery in hand and stop."""

import os
import signal
import subprocess
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from firstcall.core import outbox
from firstcall.core.audit import ChangeContext
from firstcall.core.models import OutboxMessage
from firstcall.core.tests import jobs
from firstcall.core.tests.processes import environment, python, wait_for
from firstcall.core.worker import Worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_task_claimed_by_one_of_two_racing_workers_runs_once():
    for _ in range(30):
        jobs.count_run.using(backend="database").enqueue("race")
    start = threading.Barrier(2)

    def run(worker: Worker) -> None:
        try:
            start.wait()
            worker.run(until_idle=True)
        finally:
            connection.close()

    workers = [Worker(worker_id=name, idle=0) for name in ("w1", "w2")]
    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert jobs.runs("race") == 30
    results = DBTaskResult.objects.filter(task_path=jobs.count_run.module_path)
    assert results.count() == 30
    assert set(results.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    assert all(len(ids) == 1 for ids in results.values_list("worker_ids", flat=True))


def _start_worker(lease: float) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*python(), "-m", "firstcall.core.tests.worker_process", "--lease", str(lease)],
        env=environment(),
    )


def _started(folder: Path) -> int:
    return len(list(folder.glob("started-*")))


def _release(folder: Path) -> None:
    with (folder / "go").open("w") as fifo:  # the blocked handler reads it and returns
        fifo.write("go")


def _blocking_message(folder: Path) -> OutboxMessage:
    os.mkfifo(folder / "go")
    payload = {"folder": str(folder), "tag": "killed"}
    return outbox.emit(ChangeContext.for_job("test"), "test.block", payload)


def test_a_worker_killed_mid_delivery_leaves_the_message_for_the_next_worker(tmp_path):
    message = _blocking_message(tmp_path)
    first = _start_worker(lease=2)
    try:
        wait_for(lambda: _started(tmp_path) == 1, what="the first delivery to start")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        first.kill()
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING and message.attempts == 1
    assert message.claimed_until is not None  # the dead worker's claim, until its lease ends

    second = _start_worker(lease=60)
    try:
        wait_for(lambda: _started(tmp_path) == 2, what="the delivery after the lease")
        _release(tmp_path)
        delivered = OutboxMessage.objects.filter(pk=message.pk, state="delivered")
        wait_for(delivered.exists, what="the message delivered")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    message.refresh_from_db()
    assert message.attempts == 2 and jobs.runs("killed") == 1


def test_sigterm_lets_the_worker_finish_the_delivery_in_hand_then_stop(tmp_path):
    message = _blocking_message(tmp_path)
    worker = _start_worker(lease=60)
    try:
        wait_for(lambda: _started(tmp_path) == 1, what="the delivery to start")
        worker.send_signal(signal.SIGTERM)
        _release(tmp_path)
        assert worker.wait(timeout=30) == 0
    finally:
        worker.kill()
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.DELIVERED and jobs.runs("killed") == 1


def test_the_schedule_holds_the_three_jobs_of_the_issue():
    from firstcall.schedule import JOBS

    every = {job.name: job.every.total_seconds() for job in JOBS}
    assert every["finish_pending_repairs"] == 60
    assert every["purge_call_cache"] == 300
    assert every["expire_api_tokens"] == 3600
    paths = {job.task.module_path for job in JOBS}
    assert "firstcall.customers.tasks.finish_pending_repairs" in paths


def test_a_worker_waits_out_a_database_that_went_away(monkeypatch):
    from django.db import OperationalError

    worker = Worker(worker_id="w", idle=0.01)
    calls = []

    def flaky_round() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        worker.stopping.set()
        return 1

    monkeypatch.setattr(worker, "round", flaky_round)
    worker.run()
    assert len(calls) == 2
