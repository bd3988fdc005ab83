"""Durable timers and the schedule: a timer fires once, at its due time (under a frozen clock),
moves when armed again, goes when cancelled, is retried when its handler fails; a scheduled job's
run is enqueued once however many workers race for it."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from firstcall.core import clock, schedule, timers
from firstcall.core.audit import ChangeContext
from firstcall.core.models import Timer
from firstcall.core.tests import jobs
from firstcall.core.worker import Worker

T0 = clock.now().replace(year=2030, month=3, day=1, hour=9, minute=0, second=0, microsecond=0)


def worker(name: str = "w1", **kwargs) -> Worker:
    return Worker(worker_id=name, idle=0, **kwargs)


@pytest.fixture(autouse=True)
def handlers():
    timers.register("test.record", jobs.record_handler)
    timers.register("test.fail", jobs.failing_handler)


@pytest.mark.django_db
def test_a_timer_fires_once_at_its_due_time():
    with clock.frozen(T0):
        timer = timers.arm(
            ChangeContext.for_job("test"),
            "test.record",
            T0 + timedelta(minutes=10),
            key="t1",
            payload={"tag": "t1"},
        )
        clock.advance(timedelta(minutes=10) - timedelta(seconds=1))
        assert worker().round() == 0 and jobs.runs("t1") == 0
        clock.advance(timedelta(seconds=1))
        assert worker().round() == 1 and jobs.runs("t1") == 1
        clock.advance(timedelta(hours=1))
        assert worker().round() == 0 and jobs.runs("t1") == 1
    timer.refresh_from_db()
    assert timer.state == Timer.State.FIRED and timer.fired_at == timer.due_at


@pytest.mark.django_db
def test_an_idle_worker_waits_until_the_next_timer_not_a_whole_idle_period():
    idle = Worker(worker_id="w1", idle=1.0)
    with clock.frozen(T0):
        assert idle.pause() == 1.0  # nothing armed: the idle period
        timers.arm(ChangeContext.for_job("test"), "test.record", T0 + timedelta(seconds=5), key="a")
        assert idle.pause() == 1.0  # due after the idle period: no sooner wake-up needed
        timers.arm(
            ChangeContext.for_job("test"), "test.record", T0 + timedelta(milliseconds=250), key="b"
        )
        assert idle.pause() == pytest.approx(0.25)
        clock.advance(timedelta(milliseconds=250))
        assert idle.round() == 1  # "b" fires at its time
        assert idle.pause() == 1.0


@pytest.mark.django_db
def test_arming_again_moves_a_timer_and_cancel_removes_it():
    ctx = ChangeContext.for_job("test")
    with clock.frozen(T0):
        timers.arm(ctx, "test.record", T0 + timedelta(minutes=5), key="m", payload={"tag": "m"})
        timers.arm(ctx, "test.record", T0 + timedelta(minutes=30), key="m", payload={"tag": "m"})
        assert Timer.objects.filter(kind="test.record", key="m").count() == 1
        clock.advance(timedelta(minutes=5))
        assert worker().round() == 0
        clock.advance(timedelta(minutes=25))
        assert worker().round() == 1 and jobs.runs("m") == 1
        timers.arm(ctx, "test.record", T0 + timedelta(hours=2), key="m", payload={"tag": "m"})
        assert timers.cancel("test.record", "m") is True
        clock.advance(timedelta(hours=2))
        assert worker().round() == 0 and jobs.runs("m") == 1
    assert not Timer.objects.filter(kind="test.record", key="m").exists()


@pytest.mark.django_db
def test_a_failing_timer_is_retried_then_failed():
    ctx = ChangeContext.for_job("test")
    with clock.frozen(T0):
        timer = timers.arm(ctx, "test.fail", T0, key="f", payload={"tag": "f"})
        for attempt in range(1, timers.MAX_ATTEMPTS + 1):
            assert worker().round() == 1
            timer.refresh_from_db()
            assert timer.attempts == attempt and "said no" in timer.last_error
            assert worker().round() == 0  # waits for its backoff
            clock.advance(timer.claimed_until - clock.now())
    assert timer.state == Timer.State.FAILED and jobs.runs("f") == 0


def test_next_run_keeps_the_grid_and_skips_runs_missed_while_no_worker_ran():
    every = timedelta(minutes=5)
    assert schedule.next_run(T0, every, T0 + timedelta(seconds=3)) == T0 + every
    assert schedule.next_run(T0, every, T0 + timedelta(minutes=17)) == T0 + 4 * every


@pytest.mark.django_db(transaction=True)
def test_two_racing_workers_fire_each_due_timer_once_and_enqueue_each_job_run_once():
    ctx = ChangeContext.for_job("test")
    jobs_table = [schedule.Job("tick", jobs.tick, timedelta(minutes=1))]
    with clock.frozen(T0):
        for n in range(40):
            timers.arm(ctx, "test.record", T0, key=str(n), payload={"tag": "race"})
        racers = [worker(name, jobs=jobs_table) for name in ("w1", "w2")]
        start = threading.Barrier(2)

        def run(racer: Worker) -> None:
            try:
                schedule.install(racer.jobs, racer.backend)
                start.wait()
                while racer.fire_timers():
                    pass
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(r,)) for r in racers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert jobs.runs("race") == 40
        assert Timer.objects.filter(kind="schedule").count() == 1
        enqueued = DBTaskResult.objects.filter(task_path=jobs.tick.module_path)
        assert enqueued.count() == 1
        assert Timer.objects.get(kind="schedule").due_at == T0 + timedelta(minutes=1)
        clock.advance(timedelta(minutes=1))
        for racer in racers:
            racer.fire_timers()
        assert enqueued.count() == 2
    assert enqueued.filter(status=TaskResultStatus.READY).count() == 2
    racers[0].run(until_idle=True)
    assert jobs.runs("tick") == 2
