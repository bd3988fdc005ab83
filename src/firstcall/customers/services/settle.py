"""Repairs a stopped process left pending, settled by reading the platform back now.

A process killed between writing a repair's pending row and finishing it (kill -9, a crash, a
deploy) leaves a row whose command may or may not have reached the platform. Nothing is sent
again; the platform is read now and the row is settled by what it shows:

- the platform agrees with CRM: `succeeded` (verified by this read);
- it still differs: `failed` (the agent may repair again);
- it cannot be read: the row stays pending and is read again at the next run; once it is older
  than `SETTLE_GIVE_UP` it becomes `unverified`. A pending row never blocks the customer
  meanwhile: once older than its system's timeout plus a margin, a new repair of the same
  platform record supersedes it (`repair.open_repairs`).

The scheduled job runs `read_back_pending` (HTTP only, no transaction held while platforms
answer) and then `settle_pending_repairs` inside one short transaction it holds.
"""

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from asgiref.sync import sync_to_async

from firstcall.core import clock
from firstcall.core.audit import ChangeContext
from firstcall.customers import cache
from firstcall.customers.comparison import Fix
from firstcall.customers.gather import Reads
from firstcall.customers.models import Repair
from firstcall.customers.services.repair import (
    PENDING_MARGIN,
    Observed,
    close_pending,
    observe,
    pending_limit,
    pending_limits,
    state_of,
    unreadable,
)
from firstcall.customers.unified import CustomerView
from firstcall.integrations.registry import CallLogBuffer

SETTLE_GIVE_UP = timedelta(minutes=30)
BATCH = 100  # rows per run; the oldest first
CUSTOMERS_AT_ONCE = 8


@dataclass
class Settlement:
    repair: Repair
    status: str
    fields: dict[str, Any]


@dataclass
class PendingReadBack:
    """What `read_back_pending` found: the rows to settle now, and the calls it made."""

    settlements: list[Settlement] = field(default_factory=list)
    still_pending: list[Repair] = field(default_factory=list)
    log: CallLogBuffer = field(default_factory=CallLogBuffer)


def stale_pending(now: datetime, limits: dict[str, timedelta]) -> list[Repair]:
    """Pending rows older than their system's timeout plus the margin, the oldest first."""
    rows = Repair.objects.filter(
        status=Repair.Status.PENDING, created__lt=now - PENDING_MARGIN
    ).order_by("created", "pk")[: BATCH * 2]
    return [r for r in rows if r.created < now - pending_limit(limits, r.system)][:BATCH]


def _decide(row: Repair, again: Observed | None, now: datetime) -> Settlement | None:
    fix = Fix(row.system, row.operation, row.target, tuple(row.arguments))
    failed = unreadable(again, fix)
    if failed is not None or again is None:  # (None: CRM itself could not be read)
        if failed is None or row.created >= now - SETTLE_GIVE_UP:
            return None  # read again at the next run
        minutes = int(SETTLE_GIVE_UP.total_seconds() // 60)
        return Settlement(
            row,
            Repair.Status.UNVERIFIED,
            {
                "error_code": failed[1],
                "error": f"{failed[0]} could not be read back within {minutes} minutes; "
                "the request that sent the repair stopped before it finished",
            },
        )
    fields: dict[str, Any] = {"after": state_of(again, fix)}
    still = again.comparison.fix(fix.id)
    if still is not None:
        differs = ", ".join(f"{m.field}: {m.actual}" for m in still[1])
        fields.update(error_code="still_differs", error=differs[:300])
        return Settlement(row, Repair.Status.FAILED, fields)
    fields["verified"] = True
    return Settlement(row, Repair.Status.SUCCEEDED, fields)


async def read_back_pending() -> PendingReadBack:
    """Read back the platform of every stale pending repair (each customer once). No writes."""
    limits = await pending_limits()
    now = clock.now()
    rows = await sync_to_async(stale_pending)(now, limits)
    by_number: defaultdict[str, list[Repair]] = defaultdict(list)
    for row in rows:
        by_number[row.number].append(row)
    found = PendingReadBack()
    gate = asyncio.Semaphore(CUSTOMERS_AT_ONCE)

    async def read(number: str) -> Observed | None:
        async with gate:
            reads = Reads(number, fresh=True)
            reads.log = found.log
            return await observe(CustomerView(reads))

    numbers = list(by_number)
    observed = await asyncio.gather(*(read(n) for n in numbers))
    for number, again in zip(numbers, observed, strict=True):
        for row in by_number[number]:
            settlement = _decide(row, again, now)
            if settlement is None:
                found.still_pending.append(row)
            else:
                found.settlements.append(settlement)
    return found


def settle_pending_repairs(ctx: ChangeContext, found: PendingReadBack) -> list[Repair]:
    """Settle the rows read back (the caller holds the transaction); a row that a request
    finished or superseded meanwhile is left as it is. Every settled row is audited, and the
    customer's call cache is dropped so the next screen reads the platforms again."""
    settled = [
        s.repair for s in found.settlements if close_pending(ctx, s.repair, s.status, **s.fields)
    ]
    for number in {row.number for row in settled}:
        cache.forget(number)
    found.log.write()
    return settled
