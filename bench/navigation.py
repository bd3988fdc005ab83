"""Benchmark of auto-diagnosis for every seeded flow, against the slowest back end it waits for.

    .venv/bin/python bench/navigation.py [--quick] [--agents 50] [--think-ms 2000]

Starts the sandbox in its own process with the unified-view benchmark's latencies (ten systems at
p50 20-120 ms, p99 1.25 x p50; the others 5/10 ms), then for each of the seeded flows drives N
concurrent calls, each running `diagnose()` (every check of the flow at once, then the walk) for a
new customer of the flow's product (no call cache). Per flow it prints the diagnosis p50 and p99,
the p99 of the slowest single back-end call of each diagnosis (its own latency, from the Result
envelopes) and the p99 of the difference: what the checks' chains (CRM before the platforms) and
FirstCall add on top of the slowest call.
"""

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import http_json, set_latencies, setup_django, start_sandbox

PRODUCT = {"F-BB": "broadband", "F-MOB": "mobile", "F-IPTV": "iptv"}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))] if ordered else 0.0


def numbers_by_product(url: str, per_condition: int) -> dict[str, list[str]]:
    """Sample customers across every condition (and healthy ones), by product key."""
    names = ["healthy"] + [c["name"] for c in http_json(f"{url}/_admin/conditions")["conditions"]]
    found: dict[str, set[str]] = {"broadband": set(), "mobile": set(), "iptv": set()}
    for name in names:
        if name == "repair_rejected":
            continue
        sample = http_json(f"{url}/_admin/samples?condition={name}&limit={per_condition}")
        for customer in sample["customers"]:
            for product, bucket in found.items():
                if product in customer["keys"]:
                    bucket.add(customer["keys"][product])
    return {product: sorted(numbers) for product, numbers in found.items()}


async def one(spec: Any, number: str) -> tuple[float, float]:
    from firstcall.customers.gather import Reads
    from firstcall.customers.unified import CustomerView
    from firstcall.navigation.diagnosis import diagnose

    reads = Reads(number, fresh=True)
    started = time.monotonic()
    await diagnose(spec, CustomerView(reads))
    elapsed = (time.monotonic() - started) * 1000
    slowest = max((row[4] for row in reads.log.rows), default=0)
    await reads.save()
    return elapsed, float(slowest)


async def run_flow(spec: Any, numbers: list[str], agents: int, count: int, think: float) -> dict:
    queue = list(numbers)
    random.Random(7).shuffle(queue)  # noqa: S311 - a fixed order, not secrets
    todo = iter(queue[:count])
    results: list[tuple[float, float]] = []
    rng = random.Random(11)  # noqa: S311 - pacing, not secrets

    async def agent() -> None:
        for number in todo:
            results.append(await one(spec, number))
            if think:
                await asyncio.sleep(rng.expovariate(1 / think))

    started = time.monotonic()
    await asyncio.gather(*(agent() for _ in range(agents)))
    seconds = time.monotonic() - started
    totals = [r[0] for r in results]
    slowest = [r[1] for r in results]
    extra = [t - s for t, s in results]
    return {
        "flow": spec.code,
        "diagnoses": len(results),
        "per_s": len(results) / seconds if seconds else 0.0,
        "p50": pct(totals, 0.5),
        "p99": pct(totals, 0.99),
        "slowest_p99": pct(slowest, 0.99),
        "extra_p50": pct(extra, 0.5),
        "extra_p99": pct(extra, 0.99),
    }


async def drive(args: argparse.Namespace, numbers: dict[str, list[str]]) -> list[dict]:
    from firstcall.integrations import registry
    from firstcall.navigation import seeding

    rows = []
    try:
        for path in seeding.seed_files():
            spec, _meta = seeding.load(path)
            product = next(p for prefix, p in PRODUCT.items() if spec.code.startswith(prefix))
            print(f"  {spec.code} ({product}) ...", file=sys.stderr, flush=True)
            rows.append(
                await run_flow(
                    spec, numbers[product], args.agents, args.count, args.think_ms / 1000
                )
            )
    finally:
        await registry.close_sessions()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--count", type=int, help="diagnoses per flow")
    parser.add_argument("--think-ms", type=float, default=2000.0, help="mean pause between calls")
    args = parser.parse_args()
    args.count = args.count or (60 if args.quick else 200)
    cpus = sorted(os.sched_getaffinity(0))
    pin = len(cpus) >= 2
    if pin:
        os.sched_setaffinity(0, {cpus[0]})
    with tempfile.TemporaryDirectory(prefix="firstcall-bench-") as tmp:
        workdir = Path(tmp)
        sandbox, url = start_sandbox(workdir, cpus[1] if pin else None)
        try:
            setup_django(workdir, url)
            from firstcall.integrations.services import SANDBOX_SYSTEMS

            prefixes = {name: prefix for name, _kind, _title, prefix in SANDBOX_SYSTEMS}
            latency = set_latencies(url, prefixes)
            numbers = numbers_by_product(url, 6 if args.quick else 12)
            rows = asyncio.run(drive(args, numbers))
        finally:
            sandbox.terminate()
            sandbox.wait(timeout=10)
    print(
        f"Auto-diagnosis benchmark: {args.agents} concurrent calls per flow, "
        f"{args.think_ms:g} ms mean pause between an agent's calls, no call cache"
    )
    print(
        "Latency set (p50/p99 ms): "
        + ", ".join(
            f"{n} {v['p50_ms']:g}/{v['p99_ms']:g}"
            for n, v in sorted(latency.items(), key=lambda i: i[1]["p50_ms"])
            if v["p50_ms"] > 5
        )
    )
    print()
    head = (
        f"{'flow':<14}{'runs':>6}{'per s':>8}{'p50':>7}{'p99':>7}"
        f"{'slowest call p99':>18}{'extra p50':>11}{'extra p99':>11}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['flow']:<14}{r['diagnoses']:>6}{r['per_s']:>8.1f}{r['p50']:>7.0f}{r['p99']:>7.0f}"
            f"{r['slowest_p99']:>18.0f}{r['extra_p50']:>11.0f}{r['extra_p99']:>11.0f}"
        )
    print(
        "\nms. slowest call p99: p99 over the diagnoses of the slowest back-end call each made "
        "(its own latency);\nextra: diagnosis minus its slowest call, i.e. the chain "
        "(CRM first, then the platforms it names)\nplus FirstCall's own time."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
