"""The HTTP workbench bench's figures per load level and its Markdown table."""

import math
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from workbench_http_load import Record, Timed
from workbench_http_paths import (
    Call,
    chains,
    commonest,
    critical_path,
    pct,
    sequential_critical_path,
)

LOOKUP_BUDGET_MS, STEP_BUDGET_MS, DIAGNOSIS_BUDGET_MS = 25.0, 15.0, 25.0


def to_calls(rows: list[tuple[Any, ...]]) -> list[Call]:
    """(request_id, system, operation, latency_ms, outcome, time) rows as calls."""
    out = []
    for _rid, system, operation, latency, outcome, ended in rows:
        if isinstance(ended, str):
            ended = datetime.fromisoformat(ended)
        out.append(Call(system, operation, float(latency), ended, outcome))
    return out


def _by(until: datetime | None, calls: list[Call]) -> list[Call]:
    """The calls that had ended by `until` (naive UTC), all of them without it."""
    if until is None:
        return calls

    def utc(moment: datetime) -> datetime:
        return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment

    return [c for c in calls if utc(c.ended) <= until]


def timed(samples: list[Timed], by_rid: dict[str, list[tuple[Any, ...]]]) -> dict[str, float]:
    ms = [s.ms for s in samples]
    steps = [
        [_by(s.until, to_calls([r for rid in ids for r in by_rid.get(rid, [])])) for ids in s.steps]
        for s in samples
    ]
    crit = [sequential_critical_path(calls) for calls in steps]
    return {
        "n": len(samples),
        "calls": sum(len(c) for calls in steps for c in calls) / max(1, len(samples)),
        "p50": pct(ms, 50),
        "p99": pct(ms, 99),
        "crit_p99": pct(crit, 99),
        "over_p99": pct(ms, 99) - pct(crit, 99),
        "extra_p99": pct([m - c for m, c in zip(ms, crit, strict=True)], 99),
    }


def summarise(
    rec: Record,
    rows: list[tuple[Any, ...]],
    duration: float,
    cpu: dict[str, float],
    meta: dict[str, Any],
    set_p99: dict[str, float],
) -> dict[str, Any]:
    """One level's figures. `set_p99`: each system's p99 as set in the sandbox, to give the
    critical path as the back ends alone would make it (the call log's latencies include the
    server's own queueing when it is overloaded)."""
    by_rid: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_rid.setdefault(row[0], []).append(row)
    ms, crit, paths, calls_per, at_set = [], [], [], [], []
    for lookup in rec.lookups:
        calls = to_calls([r for p in lookup.panels for r in by_rid.get(p.rid, [])])
        length, path = critical_path(calls)
        at_set.append(
            max((sum(set_p99.get(r[0], 0) for r in p) for _n, p in chains(calls)), default=0.0)
        )
        ms.append(lookup.ms)
        crit.append(length)
        paths.append(path)
        calls_per.append(len(calls))
    outcomes = Counter(str(row[4]) for row in rows)
    statuses = dict(sorted(rec.statuses.items()))
    return {
        **meta,
        "lookups": len(ms),
        "per_s": len(ms) / duration,
        "p50": pct(ms, 50),
        "p99": pct(ms, 99),
        "crit_p50": pct(crit, 50),
        "crit_set_p99": pct(at_set, 99),
        "crit_p99": pct(crit, 99),
        "over_p99": pct(ms, 99) - pct(crit, 99),
        "extra_p50": pct([m - c for m, c in zip(ms, crit, strict=True)], 50),
        "extra_p99": pct([m - c for m, c in zip(ms, crit, strict=True)], 99),
        "chain": commonest(paths),
        "calls_per_lookup": sum(calls_per) / max(1, len(calls_per)),
        "statuses": statuses,
        "5xx": sum(n for s, n in statuses.items() if s.startswith("5")),
        "panels": rec.panels,
        "degraded": sum(rec.degraded.values()),
        "degraded_by": dict(rec.degraded.most_common(4)),
        "outcomes": dict(outcomes),
        "start": timed(rec.starts, by_rid),
        "step": timed(rec.steps, by_rid),
        "diagnosis": timed(rec.diagnoses, by_rid),
        "errors": len(rec.errors),
        "retries": rec.retries,
        "first_error": rec.errors[0] if rec.errors else "",
        **cpu,
    }


def f(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}"


def verdict(value: float, budget: float) -> str:
    return "" if math.isnan(value) else (" ✓" if value <= budget else " ✗")


def markdown(levels: list[dict[str, Any]]) -> str:
    head = (
        "| db | workers | agents | think | look-ups/s | p50 ms | p99 ms | critical path p99 | "
        "p99 − critical | query step p99 / path / − | diagnosis p99 / path / − | statuses | "
        "panels degraded | calls timed out / refused | app CPU | sandbox CPU | other CPU | load |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in levels:
        step, diag = r["step"], r["diagnosis"]
        statuses = " ".join(f"{s}×{n}" for s, n in r["statuses"].items())
        out = r["outcomes"]
        lines.append(
            f"| {r['db']} | {r['workers']} | {r['agents']} | "
            f"{f(r['think_ms'] / 1000, 0) + ' s' if r['think_ms'] else 'flat out'} | "
            f"{f(r['per_s'], 1)} | {f(r['p50'])} | {f(r['p99'])} | {f(r['crit_p99'])} | "
            f"{f(r['over_p99'])}{verdict(r['over_p99'], LOOKUP_BUDGET_MS)} | "
            f"{f(step['p99'])} / {f(step['crit_p99'])} / {f(step['over_p99'])}"
            f"{verdict(step['over_p99'], STEP_BUDGET_MS)} (n={step['n']}) | "
            f"{f(diag['p99'])} / {f(diag['crit_p99'])} / {f(diag['over_p99'])}"
            f"{verdict(diag['over_p99'], DIAGNOSIS_BUDGET_MS)} (n={diag['n']}) | "
            f"{statuses} | {r['degraded']} of {r['panels']} | "
            f"{out.get('timeout', 0)} / {out.get('rejected', 0)} | "
            f"{f(r['app_cpu'])} % | {f(r['sandbox_cpu'])} % | {f(r['other_cpu'])} % | "
            f"{r['load']} |"
        )
    return "\n".join(lines)


def details(levels: list[dict[str, Any]]) -> str:
    """Per level: the critical chain seen most, calls per look-up, extras, errors."""
    out = []
    for r in levels:
        name = f"{r['db']}, {r['workers']} worker(s), {r['agents']} agents"
        out.append(
            f"- {name}: {r['lookups']} look-ups; commonest critical chain {r['chain']}; "
            f"{r['calls_per_lookup']:.1f} back-end calls per look-up; critical path p50 "
            f"{f(r['crit_p50'])} ms (p99 {f(r['crit_set_p99'])} ms with each call at its "
            "system's p99 as set in the sandbox); look-up minus its own path p50/p99 "
            f"{f(r['extra_p50'])}/"
            f"{f(r['extra_p99'])} ms; call start p50/p99 {f(r['start']['p50'])}/"
            f"{f(r['start']['p99'])} ms; back-end calls per query step {r['step']['calls']:.1f}, "
            f"per diagnosis {r['diagnosis']['calls']:.1f}; call outcomes {r['outcomes']}; "
            "degraded panels by URL "
            f"{r['degraded_by'] or '-'}; client errors {r['errors']}, "
            f"requests retried on a new connection {r['retries']}, numbers reused {r['reused']}"
            + (f" (first: {r['first_error'][:160]})" if r["first_error"] else "")
            + (f"; server errors logged {r['server_errors']}" if r.get("server_errors") else "")
        )
    return "\n".join(out)
