"""The agent workbench measured through HTTP, as a browser loads it, against FirstCall under
uvicorn (1 and 2 workers) on SQLite and PostgreSQL, with the sandbox's back ends.

    .venv/bin/python bench/workbench_http.py [--agents 50,100,200] [--think-ms 2000]
        [--duration-s 60] [--workers 1,2] [--db sqlite,postgres] [--quick] [--src DIR]

For each database and worker count: a fresh database (SQLite: a file in a temp dir; PostgreSQL:
`--pg-url`, dropped and made again from a migrated template, `--pg-template`), migrated and
seeded (reference data, the demo org tree, the sandbox's systems), one agent user per simulated
agent in a demo city's call-centre team with a signed-in session, then `firstcall serve
--workers W`. Each agent looks up sample customers of its own city (the shell, then every panel
at once, six connections at most), pausing `--think-ms` on average (exponential; 0 = flat out);
a share (`--call-share`) of the look-ups goes on to take the call (the start POST, the call page,
its flow panel and the query step's page) and auto-diagnose. The critical path of each screen
is its longest chain of back-end calls, each at the latency FirstCall's call log gives it
(`workbench_http_paths`). `--src` measures another tree (e.g. a worktree of an older commit).
"""

import argparse
import asyncio
import json
import os
import re
import secrets
import sys
import tempfile
import time
import urllib.error
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import http_json, machine_cpu_seconds, proc_cpu_seconds, set_latencies
from workbench_http_load import Numbers, Window, drive
from workbench_http_report import details, markdown, summarise
from workbench_http_setup import (
    build_template,
    call_log,
    child_env,
    free_port,
    fresh_database,
    prepare,
    sample_numbers,
    say,
    start,
    stop,
    tree_pids,
    wait_http,
)

HERE = Path(__file__).resolve().parent


async def measure(
    args: argparse.Namespace,
    base: str,
    sessions: list[dict[str, str]],
    cookie: str,
    numbers: Numbers,
    tag: str,
    server: int,
    sandbox: int,
) -> tuple[Any, dict[str, float]]:
    began = time.monotonic()
    w = Window(began + args.warmup_s, began + args.warmup_s + args.duration_s, 0, args.call_share)
    w.think_s = args.think_ms / 1000
    cpu: dict[str, float] = {}

    async def monitor() -> None:
        await asyncio.sleep(max(0.0, w.measure_from - time.monotonic()))
        pids = tree_pids(server)
        a0, s0, m0, b0 = (
            sum(proc_cpu_seconds(p) for p in pids),
            proc_cpu_seconds(sandbox),
            machine_cpu_seconds(),
            time.process_time(),
        )
        await asyncio.sleep(max(0.0, w.end - time.monotonic()))
        app = sum(proc_cpu_seconds(p) for p in pids) - a0
        sbx = proc_cpu_seconds(sandbox) - s0
        own = time.process_time() - b0
        seconds = args.duration_s / 100
        cpu.update(
            app_cpu=app / seconds,
            sandbox_cpu=sbx / seconds,
            bench_cpu=own / seconds,
            other_cpu=(machine_cpu_seconds() - m0 - app - sbx - own) / seconds,
        )

    rec, _ = await asyncio.gather(drive(base, sessions, cookie, numbers, w, tag), monitor())
    return rec, cpu


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    src = Path(args.src).resolve()
    secret = secrets.token_urlsafe(40)
    levels: list[dict[str, Any]] = []
    run_id = datetime.now(UTC).strftime("%H%M%S")
    with tempfile.TemporaryDirectory(prefix="firstcall-http-bench-") as tmp:
        workdir = Path(tmp)
        say(f"starting the sandbox from {src} ...")
        port = free_port()
        sbx_log = workdir / "sandbox.log"
        cmd = [
            sys.executable,
            "-m",
            "firstcall.sandbox",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ]
        sandbox = start(cmd, child_env(src, "", "", secret), sbx_log, src.parent)
        sandbox_url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    http_json(f"{sandbox_url}/_admin/systems", timeout=5)
                    break
                except (urllib.error.URLError, ConnectionError):
                    if sandbox.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(f"no sandbox:\n{sbx_log.read_text()}") from None
                    time.sleep(0.3)
            say("sampling numbers ...")
            by_city, mix = sample_numbers(sandbox_url, args.numbers)
            say(f"{sum(map(len, by_city.values()))} numbers over {len(by_city)} cities; {mix}")
            templates = {
                db: build_template(db, src, workdir, sandbox_url, secret) for db in args.db
            }
            for db in args.db:
                for workers in args.workers:
                    levels += run_config(
                        args,
                        src,
                        workdir,
                        db,
                        workers,
                        templates[db],
                        by_city,
                        sandbox_url,
                        sandbox.pid,
                        secret,
                        run_id,
                    )
        finally:
            stop(sandbox)
    return levels


def run_config(
    args: argparse.Namespace, src: Path, workdir: Path, db: str, workers: int, template: Path,
    by_city: dict[str, list[str]], sandbox_url: str, sandbox_pid: int, secret: str, run_id: str,
) -> list[dict[str, Any]]:  # fmt: skip
    db_url, where = fresh_database(db, workdir, template)
    env = child_env(src, db_url, sandbox_url, secret)
    made = prepare(
        env,
        "agents",
        str(max(args.agents)),
        *(["--timeout-ms", str(args.timeout_ms)] if args.timeout_ms else []),
        testing=True,
    )
    latency = set_latencies(sandbox_url, made["prefixes"])
    port = free_port()
    log = workdir / f"server-{db}-{workers}.log"
    serve = [sys.executable, "-m", "firstcall.cli", "serve", "--host", "127.0.0.1",
             "--port", str(port), "--workers", str(workers)]  # fmt: skip
    server = start(serve, env, log, src.parent)
    base = f"http://127.0.0.1:{port}"
    out = []
    try:
        wait_http(base, server, log)
        time.sleep(1.0 * workers)  # every worker process up
        numbers = Numbers(by_city)
        for n, agents in enumerate(args.agents):
            tag = f"h{run_id}{db[0]}{workers}x{n}."
            say(f"  {db}, {workers} worker(s), {agents} agents, think {args.think_ms:g} ms: "
                f"{args.warmup_s:g} s warm-up + {args.duration_s:g} s ...")  # fmt: skip
            load = os.getloadavg()[0]
            rec, cpu = asyncio.run(
                measure(
                    args,
                    base,
                    made["agents"][:agents],
                    made["session_cookie"],
                    numbers,
                    tag,
                    server.pid,
                    sandbox_pid,
                )
            )
            time.sleep(1.0)  # the last requests' call-log rows
            rows = call_log(db, where, tag)
            meta = {"db": db, "workers": workers, "agents": agents, "think_ms": args.think_ms,
                    "load": f"{load:.1f}→{os.getloadavg()[0]:.1f}"}  # fmt: skip
            level = summarise(
                rec, rows, args.duration_s, cpu, meta, {n: v["p99_ms"] for n, v in latency.items()}
            )
            level["timeouts_ms"], level["reused"] = made["timeouts_ms"], numbers.reused
            out.append(level)
            say(markdown([level]).splitlines()[-1])
        if not out:
            return out
        out[0]["latency"] = latency
    finally:
        stop(server)
    errors = server_errors(log.read_text(errors="replace"))
    if out and errors:
        out[0]["server_errors"] = errors
        say(f"server errors ({log.name}): {errors}")
    return out


def server_errors(text: str) -> dict[str, int]:
    """The exceptions the server logged (last line of each traceback), counted."""
    found = re.findall(r"^([\w.]+(?:Error|Exception|Exhausted|Timeout)\b:? ?.{0,100})$", text, re.M)
    return dict(Counter(found).most_common(6))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    split = lambda text: [s.strip() for s in text.split(",") if s.strip()]  # noqa: E731
    parser.add_argument("--agents", default="50,100,200", help="comma-separated agent counts")
    parser.add_argument("--think-ms", type=float, default=2000, help="mean pause; 0 = flat out")
    parser.add_argument("--duration-s", type=float, default=60, help="measured seconds per level")
    parser.add_argument("--warmup-s", type=float, default=5)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--call-share", type=float, default=0.2, help="look-ups taken as calls")
    parser.add_argument("--numbers", type=int, default=4000, help="distinct sample numbers")
    parser.add_argument("--timeout-ms", type=int, help="every system's timeout (default: seeded)")
    parser.add_argument("--src", default=str(HERE.parent / "src"), help="the tree to measure")
    parser.add_argument("--quick", action="store_true", help="50 agents, 1 worker, SQLite, 15 s")
    parser.add_argument("--label", default="", help="a word for the results file (before/after)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.agents, args.workers, args.db, args.duration_s = "50", "1", "sqlite", 15
        args.numbers = min(args.numbers, 1000)
    args.agents = [int(a) for a in split(args.agents)]
    args.workers = [int(w) for w in split(args.workers)]
    args.db = split(args.db)
    levels = run(args)
    table = markdown(levels)
    latency = next((lv["latency"] for lv in levels if "latency" in lv), {})
    header = (
        f"FirstCall workbench through HTTP ({args.src}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
        f"{os.cpu_count()} cores; think {args.think_ms:g} ms; {args.duration_s:g} s per level; "
        f"{args.call_share:.0%} of look-ups taken as calls; back-end timeouts "
        f"{levels[0]['timeouts_ms'] if levels else '-'} ms)\n\nSandbox latency p50/p99 ms: "
        + ", ".join(f"{n} {v['p50_ms']:g}/{v['p99_ms']:g}" for n, v in latency.items())
    )
    text = f"{header}\n\n{table}\n\n{details(levels)}\n"
    print("\n" + text)
    if args.json:
        print(json.dumps(levels, indent=1, default=str))
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    name = f"workbench_http-{datetime.now(UTC):%Y-%m-%d}{'-' + args.label if args.label else ''}"
    with (results / f"{name}.md").open("a") as out:
        out.write(f"## {' '.join(sys.argv[1:]) or 'defaults'}\n\n{text}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
