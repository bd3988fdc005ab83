"""Benchmark of the worker on PostgreSQL: outbox messages delivered per second, and how late timers
fire (p50/p99 between `due_at` and the fire), with 1 and 2 worker processes.

    .venv/bin/python bench/worker.py [--database-url postgres://postgres@127.0.0.1:5432/bench_worker]
                                     [--rows 10000] [--workers 1 2] [--idle 1.0] [--batch 100]

The database named by the URL is dropped and created again (it must be a throwaway one), then
migrated. For each worker count:

1. Outbox: the workers (`core.worker.Worker`, each in its own process, as `firstcall worker` runs
   it) are started and warmed up; then `--rows` messages of kind `event` (the real handler, which
   publishes to the subscribers: none today) are inserted in one transaction. Delivered per second
   = rows / (the last `delivered_at` - the commit). Each delivery is its own transaction: the
   `delivered` mark and the handler together.
2. Timers: `--rows` timers of a no-op kind are armed, due evenly over `--spread` seconds from two
   seconds after arming; the workers fire them as they come due. Lag = `fired_at` - `due_at`,
   p50/p99/max. With nothing due a worker polls every `--idle` seconds (the command's default: 1 s),
   which bounds the lag of a timer that comes due while every worker sleeps.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TIMER_KIND = "bench.noop"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))] if ordered else 0.0


def environment(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="firstcall.settings",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(40),
        FIRSTCALL_LOG_LEVEL="WARNING",
    )
    env.pop("FIRSTCALL_TESTING", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    return env


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of processes (Linux)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"not a plain database name: {name}")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def setup(url: str) -> None:
    os.environ.update(environment(url))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def child(args: argparse.Namespace) -> None:
    """One worker process: the real loop, with a no-op timer kind registered."""
    import django

    django.setup()
    from firstcall.core import timers
    from firstcall.core.worker import Worker

    timers.register(TIMER_KIND, lambda ctx, payload: None)
    worker = Worker(batch=args.batch, idle=args.idle, lease=timedelta(seconds=60))
    worker.install_signals()
    worker.run()


def start_workers(n: int, args: argparse.Namespace) -> list[subprocess.Popen[bytes]]:
    command = [sys.executable, __file__, "--child", "--idle", str(args.idle)]
    return [
        subprocess.Popen([*command, "--batch", str(args.batch)], env=environment(args.database_url))  # noqa: S603
        for _ in range(n)
    ]


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=60)


def wait_until(check: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.02)


def reset() -> None:
    from firstcall.core.models import OutboxMessage, Timer

    OutboxMessage.objects.all().delete()
    Timer.objects.all().delete()


def warm_up(n: int) -> None:
    """Until every worker has delivered something: all are polling."""
    from firstcall.core import clock
    from firstcall.core.models import OutboxMessage

    deadline = time.monotonic() + 120
    while OutboxMessage.objects.values("claimed_by").distinct().count() < n:
        if time.monotonic() > deadline:
            raise SystemExit("the workers did not start")
        now = clock.now()
        OutboxMessage.objects.bulk_create(
            OutboxMessage(kind="event", payload={"type": "warm-up"}, next_attempt_at=now)
            for _ in range(50 * n)
        )
        pending = OutboxMessage.objects.filter(state="pending")
        wait_until(lambda pending=pending: not pending.exists(), 60, "the warm-up")
    OutboxMessage.objects.all().delete()


def outbox_run(rows: int) -> dict[str, float]:
    from django.db import transaction
    from django.db.models import Max

    from firstcall.core import clock
    from firstcall.core.models import OutboxMessage

    with transaction.atomic():
        now = clock.now()
        OutboxMessage.objects.bulk_create(
            (
                OutboxMessage(
                    kind="event",
                    key=f"bench:{n}",
                    payload={"type": "bench.event", "data": {"n": n}},
                    created=now,
                    next_attempt_at=now,
                )
                for n in range(rows)
            ),
            batch_size=2000,
        )
    committed = clock.now()
    delivered = OutboxMessage.objects.filter(state="delivered")
    wait_until(lambda: delivered.count() >= rows, 600, "the outbox to drain")
    last = delivered.aggregate(last=Max("delivered_at"))["last"]
    seconds = (last - committed).total_seconds()
    return {"rows": rows, "seconds": round(seconds, 2), "per_second": round(rows / seconds)}


def timer_run(rows: int, spread: float) -> dict[str, float]:
    from firstcall.core import clock
    from firstcall.core.models import Timer

    start = clock.now() + timedelta(seconds=2)
    step = timedelta(seconds=spread / rows)
    Timer.objects.bulk_create(
        (
            Timer(kind=TIMER_KIND, key=str(n), due_at=start + n * step, armed_at=clock.now())
            for n in range(rows)
        ),
        batch_size=2000,
    )
    fired = Timer.objects.filter(kind=TIMER_KIND, state="fired")
    wait_until(lambda: fired.count() >= rows, spread + 600, "the timers to fire")
    lags = [
        (fired_at - due).total_seconds() * 1000
        for due, fired_at in fired.values_list("due_at", "fired_at")
    ]
    return {
        "timers": rows,
        "per_second_due": round(rows / spread),
        "lag_p50_ms": round(pct(lags, 0.50), 1),
        "lag_p99_ms": round(pct(lags, 0.99), 1),
        "lag_max_ms": round(max(lags), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_worker")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--idle", type=float, default=1.0, help="the worker's idle poll (s)")
    parser.add_argument("--batch", type=int, default=100, help="rows a worker claims at a time")
    parser.add_argument("--spread", type=float, default=200.0, help="timers come due over (s)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return 0
    if not args.database_url.startswith("postgres"):
        raise SystemExit("the benchmark runs on PostgreSQL")
    recreate_database(args.database_url)
    setup(args.database_url)
    results = []
    for n in args.workers:
        reset()
        workers = start_workers(n, args)
        try:
            warm_up(n)
            cpu = cpu_seconds([w.pid for w in workers])
            outbox = outbox_run(args.rows)
            outbox["worker_cpu_ms_per_row"] = round(
                (cpu_seconds([w.pid for w in workers]) - cpu) * 1000 / args.rows, 2
            )
            timers = timer_run(args.rows, args.spread)
        finally:
            stop_workers(workers)
        load = os.getloadavg()[0]
        results.append({"workers": n, **outbox, **timers, "load_average": load})
        if not args.json:
            print(
                f"{n} worker(s): outbox {outbox['per_second']:>6}/s "
                f"({outbox['rows']} in {outbox['seconds']} s, worker CPU "
                f"{outbox['worker_cpu_ms_per_row']} ms a row); timers due at "
                f"{timers['per_second_due']}/s: lag p50 {timers['lag_p50_ms']} ms, "
                f"p99 {timers['lag_p99_ms']} ms, max {timers['lag_max_ms']} ms "
                f"(load average {load:.1f} on {os.cpu_count()} CPUs)",
                flush=True,
            )
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
