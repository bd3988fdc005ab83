"""Benchmark of the unified customer view against the architecture's performance budget.

    .venv/bin/python bench/unified_view.py [--quick] [--json]

Starts the sandbox in its own process (pinned to the second core when there is one), gives ten
systems on the view's path a spread of read latencies, registers the sandbox's systems in a
throwaway SQLite database, then drives N concurrent agents in one event loop, each loading the
whole view of a new mobile number (`Reads(number, fresh=True)`, no call cache) and saving it, as
`CustomerView.everything()` plus `Reads.save()`. The same reads are then done one after another
(`registry.call` in order) for comparison. Budget (docs: ARCHITECTURE.md "Performance budget"):
the view's p99 at 100 agents is no more than 25 ms above the slowest back end's own p99.

"Own p99" of a system is taken from the Result envelopes (`latency_ms`, timed by the registry
around the connector call, so it includes this process's event-loop queueing as well as the
sandbox). "Bound" is, per view, the longest chain of its own calls (CRM, then the reads that
need CRM's products; resources, then alarms): view minus bound is what the orchestration adds.
"""

import argparse
import asyncio
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import build_check, print_report
from support import (
    BENCH_SYSTEMS,
    TIMEOUT_MS,
    machine_cpu_seconds,
    proc_cpu_seconds,
    sample_numbers,
    set_latencies,
    setup_django,
    start_sandbox,
)

# ---------------------------------------------------------------- one view


@dataclass
class Sample:
    started: float
    view_ms: float  # until every panel's data is there
    save_ms: float  # Reads.save(): call cache rows and call log, one transaction
    fanout_ms: float | None  # the reads keyed by the typed number (parallel mode only)
    bound_ms: float  # the longest chain of the view's own calls
    mobile_only: bool
    faults: list[str]  # error codes of calls that failed other than "no such record"
    calls: list[tuple[str, float]] = field(default_factory=list)


START_READS = [
    ("crm", "find"),
    ("billing", "account"),
    ("points", "member"),
    ("provisioning", "work_orders"),
]


async def parallel_view(number: str) -> Sample:
    from firstcall.customers.gather import Reads
    from firstcall.customers.unified import MOBILE_NUMBER, PLATFORM_READS, CustomerView

    started = time.monotonic()
    view = CustomerView(Reads(number, fresh=True))
    start_keys = [(s, o, number) for s, o in START_READS]
    if MOBILE_NUMBER.match(number):
        start_keys += [(s, o, number) for s, o in PLATFORM_READS["mobile"]]
    # Reads.get hands back the task the view already started for the same read.
    fanout = asyncio.gather(*(view.reads.get(*key) for key in start_keys))
    fanout_done: list[float] = []
    fanout.add_done_callback(lambda _f: fanout_done.append(time.monotonic()))
    await view.everything()
    viewed = time.monotonic()
    await fanout
    products = await view.products()
    customer = await view.customer()
    numbers = list(customer.data.get("service_numbers") or []) if customer.ok else []
    bound, faults, calls = critical_path(view, number, start_keys, numbers)
    await view.reads.save()
    saved = time.monotonic()
    return Sample(
        started=started,
        view_ms=(viewed - started) * 1000,
        save_ms=(saved - viewed) * 1000,
        fanout_ms=(fanout_done[0] - started) * 1000,
        bound_ms=bound,
        mobile_only=all(p.get("product_type") == "mobile" for p in products),
        faults=faults,
        calls=calls,
    )


def critical_path(
    view: Any, number: str, start_keys: list[tuple[str, str, str]], numbers: list[dict[str, Any]]
) -> tuple[float, list[str], list[tuple[str, float]]]:
    """The longest chain of the view's calls by their own latencies, the failed calls and every
    call's (system, latency). Only reads the view made are asked for (they are all done).

    The chains: CRM's customer, then each product's platform reads (keyed by the numbers CRM
    lists) and CRM's product details; a broadband account's resources, then its alarms."""
    from firstcall.customers.gather import NOT_FOUND
    from firstcall.customers.unified import PLATFORM_READS

    results: dict[tuple[str, str, str], Any] = {}

    def result(system: str, operation: str, key: str) -> Any:
        read = (system, operation, key)
        if read not in results:
            results[read] = view.reads.get(system, operation, key).result()
        return results[read]

    at_start = set(start_keys)

    def chain(system: str, operation: str, key: str, after: float) -> float:
        own = result(system, operation, key).latency_ms
        return own if (system, operation, key) in at_start else after + own

    found = result("crm", "find", number)
    crm = found.latency_ms
    longest = max(result(*key).latency_ms for key in start_keys)
    if found.ok:
        longest = max(longest, chain("crm", "products", str(found.data["cust_id"]), crm))
    for entry in numbers:
        kind, key = str(entry.get("product_type", "")), str(entry.get("number", ""))
        for system, operation in PLATFORM_READS.get(kind, []):
            longest = max(longest, chain(system, operation, key, crm))
        if kind == "broadband":
            allocation = result("resources", "allocation", key)
            if allocation.ok:
                ne_ids = ",".join(allocation.data.get("ne_ids") or [])
                to_res = chain("resources", "allocation", key, crm)
                longest = max(longest, chain("alarms", "active", ne_ids, to_res))
    faults = [
        r.error.code if r.error else "?"
        for r in results.values()
        if not r.ok and (r.error is None or r.error.code != NOT_FOUND)
    ]
    calls = [(r.system, r.latency_ms) for r in results.values()]
    return longest, faults, calls


async def sequential_view(number: str) -> Sample:
    """The same reads, each awaited before the next starts, through `registry.call`."""
    from asgiref.sync import sync_to_async

    from firstcall.customers.gather import NOT_FOUND, is_answer, keep, read_key
    from firstcall.customers.unified import MOBILE_NUMBER, PLATFORM_READS
    from firstcall.integrations import registry

    log = registry.CallLogBuffer()
    done: dict[str, Any] = {}
    answers: list[tuple[str, Any]] = []

    async def read(system: str, operation: str, *args: str) -> Any:
        key = read_key(system, operation, args)
        if key not in done:
            done[key] = await registry.call(system, operation, *args, customer_key=number, log=log)
            if is_answer(done[key]):
                answers.append((key, done[key]))
        return done[key]

    started = time.monotonic()
    customer = await read("crm", "find", number)
    details = await read("crm", "products", str(customer.data["cust_id"])) if customer.ok else None
    for system, operation in START_READS[1:]:
        await read(system, operation, number)
    if MOBILE_NUMBER.match(number):
        for system, operation in PLATFORM_READS["mobile"]:
            await read(system, operation, number)
    numbers = list(customer.data.get("service_numbers") or []) if customer.ok else []
    products = list(details.data.get("products") or []) if details and details.ok else []
    for entry in numbers:
        kind, key = str(entry.get("product_type", "")), str(entry.get("number", ""))
        for system, operation in PLATFORM_READS.get(kind, []):
            await read(system, operation, key)
        if kind == "broadband":
            allocation = await read("resources", "allocation", key)
            if allocation.ok:
                await read("alarms", "active", ",".join(allocation.data.get("ne_ids") or []))
    viewed = time.monotonic()
    await sync_to_async(keep)(number, answers, log)
    saved = time.monotonic()
    results = list(done.values())
    return Sample(
        started=started,
        view_ms=(viewed - started) * 1000,
        save_ms=(saved - viewed) * 1000,
        fanout_ms=None,
        bound_ms=sum(r.latency_ms for r in results),
        mobile_only=all(p.get("product_type") == "mobile" for p in products),
        faults=[
            r.error.code for r in results if not r.ok and r.error and r.error.code != NOT_FOUND
        ],
        calls=[(r.system, r.latency_ms) for r in results],
    )


# ---------------------------------------------------------------- one load level


class Numbers:
    def __init__(self, numbers: list[str]) -> None:
        self.numbers = numbers
        self.next_index = 0

    def take(self) -> str:
        number = self.numbers[self.next_index % len(self.numbers)]
        self.next_index += 1
        return number

    @property
    def reused(self) -> int:
        return max(0, self.next_index - len(self.numbers))


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))]


async def run_level(
    mode: str,
    agents: int,
    warmup: float,
    duration: float,
    numbers: Numbers,
    sandbox_pid: int,
    think: float = 0.0,
) -> dict[str, Any]:
    one = parallel_view if mode == "parallel" else sequential_view
    began = time.monotonic()
    measure_from, end = began + warmup, began + warmup + duration
    samples: list[Sample] = []
    lags: list[float] = []
    cpu: dict[str, float] = {}
    errors: list[str] = []

    async def agent(i: int) -> None:
        rng = random.Random(i)  # noqa: S311 - load generation, not security
        # Spread the agents' first views (over a pause, when they pause, else over 0.5 s).
        await asyncio.sleep(rng.random() * (think or min(0.5, warmup)))
        while time.monotonic() < end:
            try:
                sample = await one(numbers.take())
            except Exception as exc:  # a bench must report, not stop
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            if sample.started >= measure_from and sample.started < end:
                samples.append(sample)
            if think:  # exponential: agents do not fall into step with one another
                await asyncio.sleep(rng.expovariate(1 / think))

    async def monitor() -> None:
        await asyncio.sleep(max(0.0, measure_from - time.monotonic()))
        cpu["own0"], cpu["sandbox0"] = time.process_time(), proc_cpu_seconds(sandbox_pid)
        cpu["all0"] = machine_cpu_seconds()
        while time.monotonic() < end:
            before = time.monotonic()
            await asyncio.sleep(0.01)
            lags.append((time.monotonic() - before - 0.01) * 1000)
        cpu["own1"], cpu["sandbox1"] = time.process_time(), proc_cpu_seconds(sandbox_pid)
        cpu["all1"] = machine_cpu_seconds()

    await asyncio.gather(monitor(), *(agent(i) for i in range(agents)))
    return summarise(mode, agents, duration, samples, lags, cpu, errors)


def summarise(
    mode: str,
    agents: int,
    duration: float,
    samples: list[Sample],
    lags: list[float],
    cpu: dict[str, float],
    errors: list[str],
) -> dict[str, Any]:
    views = [s.view_ms for s in samples]
    per_system: dict[str, list[float]] = {}
    for s in samples:
        for system, latency in s.calls:
            per_system.setdefault(system, []).append(latency)
    own = {
        name: {"calls": len(v), "p50_ms": pct(v, 50), "p99_ms": pct(v, 99)}
        for name, v in sorted(per_system.items())
    }
    slowest = max(own, key=lambda n: own[n]["p99_ms"]) if own else ""
    fanout_systems = {s for s, _o in START_READS} | {"hlr", "ocs", "pcrf", "smsc", "vas"}
    fanout_own = {n: v for n, v in own.items() if n in fanout_systems}
    slowest_fanout = max(fanout_own, key=lambda n: fanout_own[n]["p99_ms"]) if fanout_own else ""
    fanouts = [s.fanout_ms for s in samples if s.fanout_ms is not None]
    mobile_only = [s.view_ms for s in samples if s.mobile_only]
    overhead = [s.view_ms - s.bound_ms for s in samples]
    return {
        "mode": mode,
        "agents": agents,
        "seconds": duration,
        "views": len(samples),
        "views_per_s": len(samples) / duration,
        "view_p50_ms": pct(views, 50),
        "view_p99_ms": pct(views, 99),
        "view_max_ms": max(views, default=float("nan")),
        "save_p50_ms": pct([s.save_ms for s in samples], 50),
        "save_p99_ms": pct([s.save_ms for s in samples], 99),
        "with_save_p99_ms": pct([s.view_ms + s.save_ms for s in samples], 99),
        "fanout_p50_ms": pct(fanouts, 50),
        "fanout_p99_ms": pct(fanouts, 99),
        "mobile_only_views": len(mobile_only),
        "mobile_only_view_p99_ms": pct(mobile_only, 99),
        "bound_p50_ms": pct([s.bound_ms for s in samples], 50),
        "bound_p99_ms": pct([s.bound_ms for s in samples], 99),
        "overhead_p50_ms": pct(overhead, 50),
        "overhead_p99_ms": pct(overhead, 99),
        "calls_per_view": sum(len(s.calls) for s in samples) / max(1, len(samples)),
        "faulted_calls": sum(len(s.faults) for s in samples),
        "fault_codes": dict(Counter(code for s in samples for code in s.faults)),
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "slowest_system": slowest,
        "slowest_own_p99_ms": own[slowest]["p99_ms"] if slowest else float("nan"),
        "slowest_fanout_system": slowest_fanout,
        "slowest_fanout_own_p99_ms": (
            fanout_own[slowest_fanout]["p99_ms"] if slowest_fanout else float("nan")
        ),
        "loop_lag_p50_ms": pct(lags, 50),
        "loop_lag_p99_ms": pct(lags, 99),
        "bench_cpu_pct": 100 * (cpu.get("own1", 0) - cpu.get("own0", 0)) / duration,
        "sandbox_cpu_pct": 100 * (cpu.get("sandbox1", 0) - cpu.get("sandbox0", 0)) / duration,
        # Everything else on the machine (other sessions, tests ...): should be near 0.
        "other_cpu_pct": 100
        * (
            (cpu.get("all1", 0) - cpu.get("all0", 0))
            - (cpu.get("own1", 0) - cpu.get("own0", 0))
            - (cpu.get("sandbox1", 0) - cpu.get("sandbox0", 0))
        )
        / duration,
        "systems": own,
    }


# ---------------------------------------------------------------- main


async def drive(args: argparse.Namespace, numbers: Numbers, sandbox_pid: int) -> list[dict]:
    from firstcall.integrations import registry

    plan = [("parallel", n, args.seconds) for n in args.agents]
    plan += [("sequential", n, args.seconds) for n in args.sequential_agents]
    levels = []
    try:
        for mode, agents, seconds in plan:
            if not args.json:
                print(
                    f"  {mode} x{agents}: {args.warmup:g} s warm-up + {seconds:g} s ...",
                    file=sys.stderr,
                    flush=True,
                )
            levels.append(
                await run_level(
                    mode, agents, args.warmup, seconds, numbers, sandbox_pid, args.think_ms / 1000
                )
            )
    finally:
        await registry.close_sessions()
    return levels


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short run (a few seconds a level)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--seconds", type=float, help="measured seconds per level")
    parser.add_argument("--warmup", type=float, help="seconds per level before measuring")
    parser.add_argument("--agents", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--sequential-agents", type=int, nargs="*", default=[1, 50])
    parser.add_argument("--numbers", type=int, help="distinct mobile numbers to use")
    parser.add_argument("--timeout-ms", type=int, default=TIMEOUT_MS, help="every system's timeout")
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="mean pause (exponential) of each agent between views; default 0",
    )
    parser.add_argument("--no-pin", action="store_true", help="do not pin processes to cores")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.seconds = args.seconds or (4.0 if args.quick else 15.0)
    args.warmup = args.warmup if args.warmup is not None else (1.0 if args.quick else 2.0)
    args.numbers = args.numbers or (2000 if args.quick else 10_000)

    cpus = sorted(os.sched_getaffinity(0))
    pin = len(cpus) >= 2 and not args.no_pin
    bench_cpu, sandbox_cpu = (cpus[0], cpus[1]) if pin else (None, None)
    if bench_cpu is not None:
        os.sched_setaffinity(0, {bench_cpu})

    def say(text: str) -> None:
        if not args.json:
            print(text, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="firstcall-bench-") as tmp:
        workdir = Path(tmp)
        say("starting the sandbox ...")
        sandbox, url = start_sandbox(workdir, sandbox_cpu)
        try:
            say(f"sandbox at {url}; migrating a throwaway SQLite database ...")
            setup_django(workdir, url, args.timeout_ms)
            from firstcall.integrations.services import SANDBOX_SYSTEMS

            prefixes = {name: prefix for name, _kind, _title, prefix in SANDBOX_SYSTEMS}
            latency = set_latencies(url, prefixes)
            say(f"sampling {args.numbers} mobile numbers ...")
            found, mix = sample_numbers(url, args.numbers, args.seed)
            numbers = Numbers(found)
            levels = asyncio.run(drive(args, numbers, sandbox.pid))
        finally:
            sandbox.terminate()
            try:
                sandbox.wait(timeout=10)
            except subprocess.TimeoutExpired:
                sandbox.kill()
                sandbox.wait()

    result = {
        "config": {
            "cpus": len(cpus),
            "bench_cpu": bench_cpu if pin else "any",
            "sandbox_cpu": sandbox_cpu if pin else "any",
            "numbers": len(found),
            "number_mix": mix,
            "numbers_reused": numbers.reused,
            "timeout_ms": args.timeout_ms,
            "warmup_s": args.warmup,
            "seconds_per_level": args.seconds,
            "think_ms": args.think_ms,
            "latency": latency,
        },
        "levels": levels,
        "check": build_check(levels, {n: latency[n] for n in BENCH_SYSTEMS}),
    }
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        print_report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
