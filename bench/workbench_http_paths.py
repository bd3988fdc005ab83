"""The pure parts of the HTTP workbench bench: percentiles and the critical path of a screen from
FirstCall's call log (`integrations_calllog` rows, one per back-end call, tagged with the
request id the bench sent in `X-Request-ID`). No Django, no network: unit-tested on its own.

A call-log row says which read (system, operation), how long it took as FirstCall timed it
(`latency_ms`) and when it ended (`time`); it does not say which key it read. So a read's
predecessor (the read whose answer gave it its key) is chosen among the reads that can give that
key (`CANDIDATES`) by time: the one that ended last before this read started (start = end -
latency). A read with no candidate that ended before it started is a first read. The chain of a
read is its own latency plus the chain of its predecessor; a screen's critical path is its
longest chain.

Two exceptions follow the design (ARCHITECTURE.md, "hot path"): the reads keyed by the typed
number (CRM's customer, billing's account, points, provisioning's work orders, and the platform
reads of the typed number's product, which the view starts alongside CRM) are first reads
whatever their timing: a view that waited for CRM before them would have its wait counted as
its own time, not as the back end's.
"""

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

Read = tuple[str, str]

# Reads whose key is the typed number: first reads of a look-up.
TYPED_NUMBER_READS: frozenset[Read] = frozenset(
    {
        ("crm", "find"),
        ("billing", "account"),
        ("points", "member"),
        ("points", "redemptions"),
        ("provisioning", "work_orders"),
    }
)
# The platform reads of each product type (customers.unified.PLATFORM_READS).
PRODUCT_READS: dict[str, frozenset[Read]] = {
    "mobile": frozenset(
        {
            ("hlr", "subscriber"),
            ("ocs", "subscriber"),
            ("pcrf", "policy"),
            ("smsc", "blocking"),
            ("vas", "subscriptions"),
        }
    ),
    "broadband": frozenset(
        {("aaa", "user"), ("aaa", "sessions"), ("nms", "line"), ("resources", "allocation")}
    ),
}
CRM_FIRST: tuple[Read, ...] = (("crm", "find"), ("crm", "products"))
# The reads that can give a read its key; anything not named here waits for CRM.
CANDIDATES: dict[Read, tuple[Read, ...]] = {
    ("billing", "bills"): (("billing", "account"),),
    ("billing", "credits"): (("billing", "account"),),
    ("provisioning", "work_order"): (("crm", "orders"), ("provisioning", "work_orders")),
    ("alarms", "active"): (
        ("resources", "allocation"),
        ("hlr", "subscriber"),
        ("smsc", "blocking"),
        ("iptv", "account"),
    ),
    ("gis", "coverage"): (("hlr", "subscriber"),),
}
TOLERANCE_MS = 3.0  # clock and rounding: latency_ms is whole milliseconds


@dataclass(frozen=True)
class Call:
    """One call-log row."""

    system: str
    operation: str
    latency_ms: float
    ended: datetime
    outcome: str = "ok"

    @property
    def read(self) -> Read:
        return (self.system, self.operation)

    @property
    def started(self) -> datetime:
        return self.ended - timedelta(milliseconds=self.latency_ms)


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))]


def first_reads(typed_kind: str) -> frozenset[Read]:
    return TYPED_NUMBER_READS | PRODUCT_READS.get(typed_kind, frozenset())


def chains(calls: list[Call], typed_kind: str = "mobile") -> list[tuple[float, tuple[Read, ...]]]:
    """Per call: (its chain in ms, the reads of the chain, first to last)."""
    roots = first_reads(typed_kind)
    seen_root: set[Read] = set()
    order = sorted(range(len(calls)), key=lambda i: calls[i].ended)
    memo: dict[int, tuple[float, tuple[Read, ...]]] = {}

    def predecessor(i: int) -> int | None:
        call = calls[i]
        wanted = CANDIDATES.get(call.read, CRM_FIRST)
        start = call.started.timestamp() * 1000 + TOLERANCE_MS
        best: int | None = None
        for j in order:
            other = calls[j]
            if j == i or other.read not in wanted or other.read == call.read:
                continue
            if other.ended.timestamp() * 1000 <= start and (
                best is None or other.ended >= calls[best].ended
            ):
                best = j
        return best

    def chain(i: int) -> tuple[float, tuple[Read, ...]]:
        if i in memo:
            return memo[i]
        call = calls[i]
        # A read keyed by the typed number is a root, and so is the first platform read of the
        # typed number's product; a second one (another number of the same product, or the same
        # read again from another panel) is placed by its timing. No read waits for its own kind.
        is_root = call.read in TYPED_NUMBER_READS or (
            call.read in roots and call.read not in seen_root
        )
        if is_root:
            seen_root.add(call.read)
        before = None if is_root else predecessor(i)
        if before is None:
            memo[i] = (call.latency_ms, (call.read,))
        else:
            length, path = chain(before)
            memo[i] = (length + call.latency_ms, (*path, call.read))
        return memo[i]

    for i in order:  # ended order: a root is the earliest of its read
        chain(i)
    return [memo[i] for i in range(len(calls))]


def critical_path(calls: list[Call], typed_kind: str = "mobile") -> tuple[float, tuple[Read, ...]]:
    """The longest chain of the calls (0 ms and no reads when there were none)."""
    found = chains(calls, typed_kind)
    return max(found, default=(0.0, ()), key=lambda item: item[0])


def sequential_critical_path(steps: list[list[Call]], typed_kind: str = "mobile") -> float:
    """Requests made one after another (a flow panel, then the step page it loads): the sum of
    each request's own critical path; a read cached by an earlier request costs nothing."""
    return sum(critical_path(calls, typed_kind)[0] for calls in steps)


def describe(path: tuple[Read, ...]) -> str:
    return " → ".join(f"{s}.{o}" for s, o in path) or "-"


def commonest(paths: list[tuple[Read, ...]]) -> str:
    if not paths:
        return "-"
    path, count = Counter(paths).most_common(1)[0]
    return f"{describe(path)} ({100 * count / len(paths):.0f} %)"
