"""Benchmark of the back office on PostgreSQL: operations per second at 20 concurrent users, and
the to-do, done and search lists at a million tickets.

    .venv/bin/python bench/workorders.py                     # 1M tickets, then the operations
    .venv/bin/python bench/workorders.py --quick             # 20,000 tickets, fewer runs
    .venv/bin/python bench/workorders.py --tickets 200000 --part lists
    .venv/bin/python bench/workorders.py --part ops --users 20 --per-user 10

The database in `--database-url` is dropped and created again (a throwaway one), migrated and
seeded with the reference data and the demo org tree and people (no demo tickets); it is dropped
at the end unless `--keep`. Then:

1. the generator (`workorders_data.py`) loads `--tickets` tickets in bulk inside PostgreSQL
   (with their process instances, work items across states, units and cities, and events; not
   through the services), and the lists (`workorders_lists.py`) are timed: p50/p99 per list,
   user and filter. Target: every p99 < 100 ms.
2. the operations (`workorders_ops.py`): `--users` users over `--processes` processes work
   BO-MOBNET tickets through the services, a transaction each: operations per second and
   p50/p99 per operation, with the queries each made. Target: >= 200 ops/s, p99 < 50 ms.

The table is printed and appended to bench/results/workorders-<date>.md, with the load average.
"""

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from worker import environment, recreate_database  # noqa: E402

LIST_P99_MS = 100.0
OPS_PER_S, OPS_P99_MS = 200.0, 50.0


def pct(values: list[float], q: float) -> float:
    """Nearest rank; q in 0..100."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def setup(url: str) -> None:
    os.environ.update(environment(url))
    import django

    django.setup()
    from django.core.management import call_command

    from firstcall.seeding import seed

    call_command("migrate", verbosity=0, interactive=False)
    seed(demo=True, tickets=False)


def reuse(url: str) -> None:
    """The database a `--keep` run left: migrated to this tree (an index added since)."""
    os.environ.update(environment(url))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def existing() -> dict[str, int]:
    from firstcall.tickets.models import TicketEvent
    from firstcall.workflows.models import ProcessInstance, WorkItem

    return {
        "tickets": ProcessInstance.objects.count(),
        "work_items": WorkItem.objects.count(),
        "events": TicketEvent.objects.count(),
    }


def drop(url: str) -> None:
    from django.db import connections

    connections.close_all()
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def list_table(results: list[dict[str, Any]]) -> tuple[list[str], bool]:
    lines = [
        "| list | user | filter | rows | p50 ms | p99 ms | |",
        "|---|---|---|---|---|---|---|",
    ]
    ok = True
    for r in results:
        ms = [1000 * t for t in r["times"]]
        p99 = pct(ms, 99)
        ok = ok and p99 < LIST_P99_MS
        mark = "ok" if p99 < LIST_P99_MS else "OVER"
        lines.append(
            f"| {r['list']} | {r['user']} | {r['filter']} | {r['rows']} | {pct(ms, 50):.1f} "
            f"| {p99:.1f} | {mark} |"
        )
    return lines, ok


def ops_table(result: dict[str, Any]) -> tuple[list[str], bool, dict[str, Any]]:
    rows = result["rows"]
    wall = result["wall"]
    names = list(dict.fromkeys(name for name, _s, _q in rows))
    lines = [
        "| operation | count | p50 ms | p99 ms | max ms | queries |",
        "|---|---|---|---|---|---|",
    ]
    all_ms = [1000 * s for _n, s, _q in rows]
    for name in [*names, "all"]:
        mine = [(s, q) for n, s, q in rows if name in (n, "all")]
        ms = [1000 * s for s, _q in mine]
        queries = sum(q for _s, q in mine) / max(len(mine), 1)
        lines.append(
            f"| {name} | {len(mine)} | {pct(ms, 50):.1f} | {pct(ms, 99):.1f} | {max(ms):.1f} "
            f"| {queries:.1f} |"
        )
    per_second = len(rows) / wall if wall else 0.0
    summary = {
        "operations": len(rows),
        "seconds": round(wall, 2),
        "per_second": round(per_second, 1),
        "p50_ms": round(pct(all_ms, 50), 1),
        "p99_ms": round(pct(all_ms, 99), 1),
    }
    ok = per_second >= OPS_PER_S and summary["p99_ms"] < OPS_P99_MS
    lines.append("")
    lines.append(
        f"{len(rows)} operations in {wall:.1f} s: **{per_second:.0f} ops/s**, p50 "
        f"{summary['p50_ms']} ms, p99 {summary['p99_ms']} ms — "
        f"{'PASS' if ok else 'FAIL'} (>= {OPS_PER_S:.0f} ops/s, p99 < {OPS_P99_MS:.0f} ms)"
    )
    return lines, ok, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/bench_workorders"
    )
    parser.add_argument("--tickets", type=int, default=None, help="tickets generated (1,000,000)")
    parser.add_argument("--quick", action="store_true", help="20,000 tickets, fewer runs")
    parser.add_argument("--part", choices=["lists", "ops", "both"], default="both")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--per-user", type=int, default=None, help="tickets a user works (10)")
    parser.add_argument("--repeat", type=int, default=None, help="runs per list query (40)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="run on the database a --keep run left (its tickets), without making it again",
    )
    parser.add_argument("--no-results", action="store_true", help="do not write bench/results/")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    tickets = args.tickets if args.tickets is not None else (20_000 if args.quick else 1_000_000)
    per_user = args.per_user or (3 if args.quick else 10)
    repeat = args.repeat or (6 if args.quick else 40)
    if not args.database_url.startswith("postgres"):
        raise SystemExit("the benchmark runs on PostgreSQL")
    say = (lambda *a, **k: None) if args.json else print
    if not args.reuse:
        recreate_database(args.database_url)
    out: dict[str, Any] = {"tickets": tickets, "load_before": os.getloadavg()}
    report = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — `bench/workorders.py "
        f"{' '.join(sys.argv[1:])}`",
        "",
    ]
    ok = True
    try:
        began = time.monotonic()
        if args.reuse:
            reuse(args.database_url)
        else:
            setup(args.database_url)
            say(f"migrated and seeded in {time.monotonic() - began:.0f} s", flush=True)
        if args.part in ("lists", "both"):
            from workorders_data import generate
            from workorders_lists import run as run_lists

            began = time.monotonic()
            if args.reuse:
                counts = existing()
                tickets = counts["tickets"]
            else:
                say(f"generating {tickets:,} tickets …", flush=True)
                counts = generate(tickets, log=say)
            loaded = time.monotonic() - began
            say(f"loaded in {loaded:.0f} s; the lists ({repeat} runs each) …", flush=True)
            results = run_lists(repeat, log=say)
            lines, lists_ok = list_table(results)
            ok = ok and lists_ok
            out["lists"] = results
            out["generated"] = {**counts, "seconds": round(loaded)}
            report += [
                f"Lists at {tickets:,} tickets ({counts['work_items']:,} work items, "
                f"{counts['events']:,} events; generated in {loaded:.0f} s), {repeat} runs each "
                f"(half of them the second page): load average "
                f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs",
                "",
                *lines,
                "",
            ]
        if args.part in ("ops", "both"):
            from workorders_ops import run as run_ops

            say(
                f"operations: {args.users} users over {args.processes} processes, "
                f"{per_user} tickets each …",
                flush=True,
            )
            result = run_ops(args.users, args.processes, per_user)
            lines, ops_ok, summary = ops_table(result)
            ok = ok and ops_ok
            out["ops"] = summary
            report += [
                f"Operations: {args.users} users over {args.processes} processes, {per_user} "
                f"BO-MOBNET tickets each (start, then accept … archive): load average "
                f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs",
                "",
                *lines,
                "",
            ]
    finally:
        if not args.keep and not args.reuse:
            drop(args.database_url)
    out["load_after"] = os.getloadavg()
    if args.json:
        print(json.dumps({**out, "ok": ok}, default=str))
    else:
        print("\n".join(report))
    if not args.no_results:
        results_dir = HERE / "results"
        results_dir.mkdir(exist_ok=True)
        path = results_dir / f"workorders-{datetime.now(UTC):%Y-%m-%d}.md"
        with path.open("a") as fh:
            fh.write("\n".join(report) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
