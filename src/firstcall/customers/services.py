"""One-click repair: make a platform agree with CRM again, and prove it by reading it back.

For each repair: the `Repair` row and its audit entry are written first, in their own
transaction, so no command leaves unrecorded; the command goes to the platform with an
idempotency key derived from the observation (the same mismatch seen in the same read), so a
double click, a retry or a second agent repairs once; then every system of the customer is read
again, the comparison is made anew, and the row is finished with the outcome, the platform's state
after, and a second audit entry holding the state before and after.
"""

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from asgiref.sync import sync_to_async
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from firstcall.core import clock
from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.errors import Conflict
from firstcall.core.models import ObjectChange
from firstcall.customers import cache
from firstcall.customers.comparison import Comparison, Fix, Mismatch, compare
from firstcall.customers.gather import Reads, is_answer
from firstcall.customers.models import Repair
from firstcall.customers.unified import CustomerView, ProductPlatforms
from firstcall.integrations import registry
from firstcall.integrations.envelope import Result
from firstcall.orgs.models import OrgUnit

# The read that shows a platform's state for a product, per repairing system.
STATE_READ = {
    "hlr": "hlr.subscriber",
    "ocs": "ocs.subscriber",
    "pcrf": "pcrf.policy",
    "aaa": "aaa.user",
    "nms": "nms.line",
    "iptv": "iptv.account",
}


@dataclass
class Observed:
    """What the agent's screen showed: the customer, the platforms and their comparison."""

    customer: dict[str, Any]
    platforms: list[ProductPlatforms]
    comparison: Comparison
    customer_read_at: str = ""
    billing_read: bool = True  # False: stops for arrears could not be compared

    def context(self) -> dict[str, Any]:
        """What the comparison panel shows of it."""
        return {
            "comparison": self.comparison,
            "fixes": self.comparison.fixes(),
            "billing_failed": not self.billing_read,
        }


async def observe(view: CustomerView) -> Observed | None:
    customer = await view.customer()
    if not customer.ok:
        return None
    platforms = await view.platforms()
    billing, _points = await view.account()
    comparison = compare(customer.data, platforms, billing.data if billing.ok else None)
    fetched = customer.meta.get("fetched_at")
    read_at = fetched.isoformat() if fetched else ""
    return Observed(customer.data, platforms, comparison, read_at, billing.ok)


def _state_of(observed: Observed, fix: Fix) -> tuple[Any, str, bool]:
    """The platform's state the fix is about, when it was read (for the idempotency key), and
    whether the read failed (a "no such record" is an answer, not a failure)."""
    entry = next((p for p in observed.platforms if p.key == fix.target), None)
    if entry is None:
        return None, "", True
    name = STATE_READ.get(fix.system)
    if name is None:  # provisioning: the CRM product's own state is what changes
        return entry.product, observed.customer_read_at, False
    result = entry.reads.get(name)
    if result is None:
        return None, "", True
    fetched = result.meta.get("fetched_at")
    read_at = fetched.isoformat() if fetched else ""
    return (result.data if result.ok else None), read_at, not is_answer(result)


def idempotency_key(number: str, fix: Fix, mismatches: list[Mismatch], read_at: str) -> str:
    seen = ";".join(f"{m.field}={m.actual!r}" for m in sorted(mismatches, key=lambda m: m.field))
    raw = f"{number}|{fix.id}|{'|'.join(fix.extra)}|{seen}|{read_at}"
    return "fc-" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def _open(
    ctx: ChangeContext,
    unit: OrgUnit,
    number: str,
    fix: Fix,
    mismatches: list[Mismatch],
    before: Any,
    key: str,
) -> tuple[Repair, bool]:
    """Write the pending row and its audit entry; an existing row with the key wins."""
    existing = Repair.objects.filter(key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            repair = Repair.objects.create(
                key=key,
                unit=unit,
                number=number,
                product_type=mismatches[0].product_type,
                target=fix.target,
                system=fix.system,
                operation=fix.operation,
                arguments=list(fix.extra),
                mismatches=[m.as_dict() for m in mismatches],
                before=before,
                requested_by=ctx.actor_label,
            )
            ctx.record(repair, ObjectChange.Action.CREATE)
    except IntegrityError:
        return Repair.objects.get(key=key), False
    return repair, True


def _finish(
    ctx: ChangeContext,
    repair: Repair,
    sent: Result,
    after: Any,
    still: list[Mismatch] | None,
) -> Repair:
    before = snapshot(repair)
    repair.result = sent.data if sent.ok else None
    repair.after = after
    repair.finished_at = clock.now()
    if not sent.ok:
        assert sent.error is not None
        repair.status = (
            Repair.Status.REFUSED if sent.error.code == "refused" else Repair.Status.FAILED
        )
        repair.error_code, repair.error = sent.error.code, sent.error.message[:300]
    elif still is None:
        repair.status = Repair.Status.UNVERIFIED
        repair.error_code = "reread_failed"
        repair.error = _("The command was accepted but the platform could not be read back.")
    elif still:
        repair.status = Repair.Status.UNVERIFIED
        repair.error_code = "still_differs"
        repair.error = ", ".join(f"{m.field}: {m.actual}" for m in still)[:300]
    else:
        repair.status, repair.verified = Repair.Status.SUCCEEDED, True
    repair.save()
    ctx.record(repair, ObjectChange.Action.UPDATE, before=before)
    return repair


def _latest(number: str, fix: Fix) -> Repair | None:
    return (
        Repair.objects.filter(
            number=number, system=fix.system, operation=fix.operation, target=fix.target
        )
        .order_by("-created")
        .first()
    )


def _parse_fix_id(fix_id: str) -> Fix | None:
    try:
        head, target = fix_id.split(":", 1)
        system, operation = head.split(".", 1)
    except ValueError:
        return None
    return Fix(system, operation, target)


async def repair(
    ctx: ChangeContext,
    unit: OrgUnit,
    view: CustomerView,
    fix_ids: list[str],
) -> list[Repair]:
    """Repair the given mismatches (by fix id, as the comparison shows them) and return one
    finished (or, when another request holds it, pending) `Repair` per fix."""
    observed = await observe(view)
    if observed is None:
        raise Conflict(_("The customer could not be read; nothing was repaired."))
    number = view.number
    groups = [g for fid in fix_ids if (g := observed.comparison.fix(fid)) is not None]
    if not groups:
        # Gone already: a second click after the first repair finished shows that repair.
        fixes = [f for fid in fix_ids if (f := _parse_fix_id(fid)) is not None]
        latest = [await sync_to_async(_latest)(number, f) for f in fixes]
        done = [r for r in latest if r is not None]
        if done:
            return done
        raise Conflict(_("There is no such mismatch any more; nothing was repaired."))
    opened: list[tuple[Repair, Fix, bool]] = []
    for fix, mismatches in groups:
        before, read_at, _failed = _state_of(observed, fix)
        key = idempotency_key(number, fix, mismatches, read_at)
        row, new = await sync_to_async(_open)(ctx, unit, number, fix, mismatches, before, key)
        opened.append((row, fix, new))
    mine = [(row, fix) for row, fix, new in opened if new]
    if not mine:
        return [row for row, _fix, _new in opened]
    sent = await asyncio.gather(
        *(
            registry.call(
                fix.system,
                fix.operation,
                fix.target,
                row.key,
                *fix.extra,
                customer_key=number,
                log=view.reads.log,
            )
            for row, fix in mine
        )
    )
    # Read everything again, bypassing the call cache, and compare anew.
    await view.reads.forget()
    fresh = CustomerView(view.reads)
    again = await observe(fresh)
    finished = await sync_to_async(_finish_all)(ctx, mine, sent, again, fresh.reads)
    by_id = {r.pk: r for r in finished}
    return [by_id.get(row.pk, row) for row, _fix, _new in opened]


def _finish_all(
    ctx: ChangeContext,
    mine: list[tuple[Repair, Fix]],
    sent: list[Result],
    again: Observed | None,
    reads: Reads,
) -> list[Repair]:
    with transaction.atomic():
        finished = []
        for (row, fix), result in zip(mine, sent, strict=True):
            after: Any = None
            still: list[Mismatch] | None = None
            if again is not None:
                after, _read_at, failed = _state_of(again, fix)
                still = [
                    m
                    for m in again.comparison.mismatches
                    if m.fix is not None and m.fix.id == fix.id
                ]
                if failed:
                    still = None  # the platform itself could not be read back
            finished.append(_finish(ctx, row, result, after, still))
        # The fresh answers replace the cached ones for the rest of the call.
        cache.store(reads.number, reads.take_answers(), reads.log)
    return finished


PENDING_GRACE = timedelta(minutes=2)


def _stale_pending() -> list[Repair]:
    cutoff = clock.now() - PENDING_GRACE
    return list(
        Repair.objects.filter(status=Repair.Status.PENDING, created__lt=cutoff).select_related(
            "unit"
        )[:100]
    )


async def finish_pending(ctx: ChangeContext) -> list[Repair]:
    """Finish repairs left pending by a process that stopped between recording and finishing.

    The command is sent again with the row's own idempotency key (the platform applies it at most
    once), the platform is read back and the row is finished like any other repair."""
    finished: list[Repair] = []
    for row in await sync_to_async(_stale_pending)():
        fix = Fix(row.system, row.operation, row.target, tuple(row.arguments))
        reads = Reads(row.number, fresh=True)
        sent = await registry.call(
            fix.system,
            fix.operation,
            fix.target,
            row.key,
            *fix.extra,
            customer_key=row.number,
            log=reads.log,
        )
        again = await observe(CustomerView(reads))
        finished.extend(await sync_to_async(_finish_all)(ctx, [(row, fix)], [sent], again, reads))
    return finished
