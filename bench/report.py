"""The unified-view benchmark's report: the table, the per-system figures and the budget check."""

import math
from typing import Any

from support import BENCH_SYSTEMS, BUDGET_MS, CHECK_AGENTS, OTHER_LATENCY

# ---------------------------------------------------------------- report


def f(value: float, digits: int = 0) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def print_report(result: dict[str, Any]) -> None:
    cfg = result["config"]
    print()
    print(
        f"Unified view benchmark  ({cfg['cpus']} cores; bench on CPU {cfg['bench_cpu']}, "
        f"sandbox on CPU {cfg['sandbox_cpu']}; {cfg['numbers']} distinct mobile numbers, "
        f"{cfg['numbers_reused']} reuses; SQLite WAL)"
    )
    mix = cfg["number_mix"]
    pause = f"{cfg['think_ms']:g} ms (mean, exponential)" if cfg["think_ms"] else "no pause"
    print(
        f"Numbers: {mix['healthy']} healthy, {mix['with_condition']} with a condition;"
        f" {cfg['seconds_per_level']:g} s per level after {cfg['warmup_s']:g} s warm-up;"
        f" agents: {pause} between views; timeout {cfg['timeout_ms']} ms"
    )
    print(
        "Read latency set in the sandbox (p50/p99 ms): "
        + ", ".join(
            f"{n} {v['p50_ms']:g}/{v['p99_ms']:g}"
            for n, v in cfg["latency"].items()
            if n in BENCH_SYSTEMS
        )
        + f"; others {OTHER_LATENCY['p50_ms']:g}/{OTHER_LATENCY['p99_ms']:g}"
    )
    print()
    head = (
        f"{'mode':<10} {'agents':>6} {'views':>6} {'views/s':>8} {'p50':>6} {'p99':>6} "
        f"{'+save99':>8} {'fan99':>6} {'bound99':>8} {'ovh50':>6} {'ovh99':>6} "
        f"{'slowest own p99':>20} {'lag99':>6} {'cpu':>5} {'sbx':>5} {'oth':>5} {'err':>4}"
    )
    print(head)
    print("-" * len(head))
    for r in result["levels"]:
        slowest = f"{r['slowest_system']} {f(r['slowest_own_p99_ms'])}"
        print(
            f"{r['mode']:<10} {r['agents']:>6} {r['views']:>6} {f(r['views_per_s'], 1):>8} "
            f"{f(r['view_p50_ms']):>6} {f(r['view_p99_ms']):>6} {f(r['with_save_p99_ms']):>8} "
            f"{f(r['fanout_p99_ms']):>6} {f(r['bound_p99_ms']):>8} {f(r['overhead_p50_ms']):>6} "
            f"{f(r['overhead_p99_ms']):>6} {slowest:>20} {f(r['loop_lag_p99_ms'], 1):>6} "
            f"{f(r['bench_cpu_pct']):>4}% {f(r['sandbox_cpu_pct']):>4}% "
            f"{f(r['other_cpu_pct']):>4}% "
            f"{r['faulted_calls'] + r['errors']:>4}"
        )
    print()
    print(
        "ms throughout. p50/p99: view until every panel has its data (save excluded); +save99:"
        " p99 including Reads.save();\nfan99: the reads keyed by the typed number (CRM, billing,"
        " points, provisioning, 5 mobile platforms);\nbound99: p99 of each view's longest chain"
        " of its own calls (CRM -> product platforms; sequential: their sum);\novh: view minus"
        " its bound; slowest own p99: highest per-system p99 of the calls' own latency_ms;\n"
        "lag99: event-loop lag p99; cpu/sbx/oth: bench / sandbox / every other process's CPU,"
        " % of one core;\nerr: faulted calls + exceptions."
    )
    for r in result["levels"]:
        if r["fault_codes"] or r["errors"]:
            print(
                f"{r['mode']} x{r['agents']}: faulted calls {r['fault_codes']},"
                f" exceptions {r['errors']} {r['first_error']}"
            )
    busy = [r for r in result["levels"] if r["other_cpu_pct"] > 10]
    if busy:
        print(
            f"WARNING: other processes used {max(r['other_cpu_pct'] for r in busy):.0f}% of a core"
            " during a level: the figures are disturbed; rerun on a quiet machine."
        )
    check = result["check"]
    if check:
        print()
        print(
            f"Per-system own latency at {CHECK_AGENTS} agents (p50/p99 ms, calls): "
            + ", ".join(
                f"{n} {f(v['p50_ms'])}/{f(v['p99_ms'])} ({v['calls']})"
                for n, v in check["systems"].items()
            )
        )
        print()
        print(
            f"Architecture target: view p99 within {BUDGET_MS:g} ms of the slowest system's own"
            f" p99 at {CHECK_AGENTS} agents"
        )
        print(
            f"  view p99 {f(check['view_p99_ms'], 1)} ms; slowest system {check['slowest']} own"
            f" p99 {f(check['slowest_p99_ms'], 1)} ms; over by {f(check['over_ms'], 1)} ms"
            f" -> {check['verdict']}"
        )
        print(
            "  (against the configured p99 of the slowest system,"
            f" {f(check['configured_p99_ms'], 1)} ms: over by"
            f" {f(check['over_configured_ms'], 1)} ms -> {check['verdict_configured']})"
        )
        print(
            f"  mobile fan-out only (no dependent reads): p99 {f(check['fanout_p99_ms'], 1)} ms vs"
            f" {check['slowest_fanout']} own p99 {f(check['slowest_fanout_p99_ms'], 1)} ms:"
            f" over by {f(check['fanout_over_ms'], 1)} ms -> {check['fanout_verdict']}"
        )
        print(
            f"  views of mobile-only customers ({check['mobile_only_views']}): p99"
            f" {f(check['mobile_only_view_p99_ms'], 1)} ms"
        )
        print(
            f"  the view's own dependency chain (CRM first, then the other products' platforms):"
            f" bound p99 {f(check['bound_p99_ms'], 1)} ms; view minus bound p99"
            f" {f(check['overhead_p99_ms'], 1)} ms"
        )


def build_check(levels: list[dict[str, Any]], latency: dict[str, dict[str, float]]) -> dict:
    at = next((r for r in levels if r["mode"] == "parallel" and r["agents"] == CHECK_AGENTS), None)
    if at is None:
        return {}
    over = at["view_p99_ms"] - at["slowest_own_p99_ms"]
    configured = max(v["p99_ms"] for v in latency.values())
    over_configured = at["view_p99_ms"] - configured
    fan_over = at["fanout_p99_ms"] - at["slowest_fanout_own_p99_ms"]
    return {
        "agents": CHECK_AGENTS,
        "budget_ms": BUDGET_MS,
        "view_p99_ms": at["view_p99_ms"],
        "slowest": at["slowest_system"],
        "slowest_p99_ms": at["slowest_own_p99_ms"],
        "over_ms": over,
        "verdict": "PASS" if over <= BUDGET_MS else "FAIL",
        "configured_p99_ms": configured,
        "over_configured_ms": over_configured,
        "verdict_configured": "PASS" if over_configured <= BUDGET_MS else "FAIL",
        "fanout_p99_ms": at["fanout_p99_ms"],
        "slowest_fanout": at["slowest_fanout_system"],
        "slowest_fanout_p99_ms": at["slowest_fanout_own_p99_ms"],
        "fanout_over_ms": fan_over,
        "fanout_verdict": "PASS" if fan_over <= BUDGET_MS else "FAIL",
        "mobile_only_views": at["mobile_only_views"],
        "mobile_only_view_p99_ms": at["mobile_only_view_p99_ms"],
        "bound_p99_ms": at["bound_p99_ms"],
        "overhead_p99_ms": at["overhead_p99_ms"],
        "systems": at["systems"],
    }
