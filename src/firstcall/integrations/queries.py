from datetime import timedelta
from typing import Any

from django.db.models import QuerySet

from firstcall.core import clock
from firstcall.integrations.models import BackendSystem, CallLog


def percentile(values: list[int], share: float) -> int | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def systems() -> QuerySet[BackendSystem]:
    return BackendSystem.objects.all()


def call_log(
    *, system: str = "", outcome: str = "", customer: str = "", operation: str = ""
) -> QuerySet[CallLog]:
    calls = CallLog.objects.all()
    if system:
        calls = calls.filter(system=system)
    if outcome in CallLog.Outcome.values:
        calls = calls.filter(outcome=outcome)
    if customer:
        calls = calls.filter(customer_key__icontains=customer)
    if operation:
        calls = calls.filter(operation__icontains=operation)
    return calls


def health_summary(minutes: int = 5, sample: int = 5000) -> dict[str, dict[str, Any]]:
    """Per system over the last minutes: calls, failures, p50/p99 latency of successful calls."""
    since = clock.now() - timedelta(minutes=minutes)
    summary: dict[str, dict[str, Any]] = {}
    for name in BackendSystem.objects.values_list("name", flat=True):
        rows = list(
            CallLog.objects.filter(system=name, time__gte=since)
            .order_by("-time")
            .values_list("latency_ms", "outcome")[:sample]
        )
        ok = [latency for latency, outcome in rows if outcome == CallLog.Outcome.OK]
        summary[name] = {
            "calls": len(rows),
            "failures": len(rows) - len(ok),
            "p50": percentile(ok, 0.50),
            "p99": percentile(ok, 0.99),
        }
    return summary
