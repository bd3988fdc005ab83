"""One-click repair: make a platform agree with CRM again, and prove it by reading it back.

What the agent is shown is always the result of this request's command or of a read made now;
an earlier repair of the same platform record is only history (`Outcome.earlier`). A repair runs
in four steps, and the caller (`viewkit.repair` for requests, `tasks` for jobs) holds a short
transaction around each step that writes:

1. `plan_repairs` reads the customer (the call cache first, the platforms themselves when the
   screen's answer may be old) and decides per requested repair: send it, or tell the agent why
   not (the platform cannot be read now; it agrees with CRM now). No writes.
2. `open_repairs` writes each pending `Repair` row and its audit row (transaction 1). The
   database allows one pending row per platform record: a double click or a second agent gets
   `in_progress` with the first request's live row, and sends nothing.
3. `send_repairs` sends the commands and `read_back` reads the customer again, bypassing the call
   cache. Plain HTTP: no transaction is held, so a platform's timeout never holds a database lock.
4. `finish_repairs` writes each outcome with the platform state before and after and a second
   audit row, and replaces the call cache with the fresh answers (transaction 2).

Repairs are the one operation with two transactions per request: its pending row must be
committed before the command leaves (so nothing is ever sent unrecorded, and so the one-pending
rule holds across processes), and the command may wait for its system's timeout, which must not
happen inside a transaction. A process that stops between 2 and 4 leaves a pending row; the
scheduled job settles it by reading the platform back (`services.settle`).
"""

import asyncio
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from asgiref.sync import sync_to_async
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from firstcall.core import clock
from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.errors import BackendUnavailable, ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.customers import cache
from firstcall.customers.comparison import Fix, Mismatch, Observed, observe
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
# A pending row older than its system's timeout plus this margin was left by a request that
# stopped (the command and the read-back of a live request end within that time).
PENDING_MARGIN = timedelta(seconds=60)
DEFAULT_TIMEOUT_MS = 800
# Command failures that prove the command never left FirstCall: nothing to read back.
NEVER_SENT = {"rejected", "disabled"}


class State:
    """What one requested repair came to, as the agent is shown it: a `Repair.Status` of the row
    this request finished, or one of these when this request sent nothing."""

    IN_PROGRESS = "in_progress"  # another request holds the repair: its live pending row
    NOT_NEEDED = "not_needed"  # the platform was read now and shows no such mismatch
    NOT_MADE = Repair.Status.NOT_MADE.value  # also: the platform could not be read, nothing sent


@dataclass
class Outcome:
    """One requested repair in this request. `repair` is the row this request opened (and
    finished), or, for `in_progress`, the other request's pending row; `earlier` is history."""

    fix: Fix
    mismatches: list[Mismatch] = field(default_factory=list)
    before: Any = None
    stale_before: datetime | None = None  # pending rows of this fix older than this are stale
    state: str = ""  # empty until decided
    repair: Repair | None = None
    sent: bool = False  # this request opened a row and sends the command
    failed_system: str = ""  # the system that could not be read (nothing sent, or not verified)
    failed_code: str = ""
    differs: list[str] = field(default_factory=list)  # fields the read-back still finds wrong
    earlier: Repair | None = None


def _entry(observed: Observed, target: str) -> ProductPlatforms | None:
    return next((p for p in observed.platforms if p.key == target), None)


def state_of(observed: Observed, fix: Fix) -> Any:
    """The platform's state the fix is about (for the row's before and after)."""
    entry = _entry(observed, fix.target)
    if entry is None:
        return None
    name = STATE_READ.get(fix.system)
    if name is None:  # provisioning: the CRM product's own state is what changes
        return entry.product
    result = entry.reads.get(name)
    return result.data if result is not None and result.ok else None


def _judged_by(fix: Fix) -> set[str]:
    """The systems whose reads the comparison needs to judge this repair."""
    if fix.system == "provisioning":
        return {"crm"}
    return {"crm", fix.system} | ({"resources"} if fix.operation == "clear_binding" else set())


def unreadable(observed: Observed | None, fix: Fix) -> tuple[str, str] | None:
    """The (system, error code) that keeps the comparison from judging this repair now."""
    if observed is None:
        return "crm", "unavailable"
    if fix.system == "provisioning" and observed.billing_error:
        return "billing", observed.billing_error
    needed = _judged_by(fix)
    for key, system, code in observed.comparison.unchecked:
        if key == fix.target and system in needed:
            return system, code
    return None


def _from_cache(observed: Observed, fix: Fix) -> bool:
    entry = _entry(observed, fix.target)
    return entry is not None and any(r.meta.get("cached") for r in entry.reads.values())


def parse_fix(fix_id: str) -> Fix | None:
    try:
        head, target = fix_id.split(":", 1)
        system, operation = head.split(".", 1)
    except ValueError:
        return None
    if not (system and operation and target) or len(fix_id) > 200:
        return None
    return Fix(system, operation, target)


async def pending_limits() -> dict[str, timedelta]:
    """How long a repair may be pending, per system: its timeout plus a margin."""
    configs = await registry.configs()
    return {
        name: timedelta(milliseconds=config.timeout_ms) + PENDING_MARGIN
        for name, config in configs.items()
    }


def pending_limit(limits: dict[str, timedelta], system: str) -> timedelta:
    return limits.get(system, timedelta(milliseconds=DEFAULT_TIMEOUT_MS) + PENDING_MARGIN)


async def plan_repairs(view: CustomerView, fix_ids: list[str]) -> list[Outcome]:
    """Decide, from the comparison, which of the requested repairs to send. Reads only."""
    fixes = [parse_fix(fid) for fid in dict.fromkeys(fix_ids)]
    if not fixes or any(f is None for f in fixes):
        raise ValidationFailed(errors={"fix": [_("Choose a repair the comparison shows.")]})
    observed = await observe(view)
    wanted = [f for f in fixes if f is not None]
    if observed is not None and any(
        observed.comparison.fix(f.id) is None and _from_cache(observed, f) for f in wanted
    ):
        # The screen's answer may be minutes old: ask the platforms now before saying that there
        # is nothing to repair.
        view.reads.refresh()
        observed = await observe(CustomerView(view.reads))
    if observed is None:
        raise BackendUnavailable(_("The customer could not be read; nothing was repaired."))
    limits = await pending_limits()
    now = clock.now()
    outcomes = []
    for fix in wanted:
        if _entry(observed, fix.target) is None:
            raise ValidationFailed(errors={"fix": [_("The customer has no such product.")]})
        found = observed.comparison.fix(fix.id)
        if found is not None:
            fix, mismatches = found
            outcomes.append(
                Outcome(
                    fix,
                    mismatches,
                    before=state_of(observed, fix),
                    stale_before=now - pending_limit(limits, fix.system),
                )
            )
        elif (failed := unreadable(observed, fix)) is not None:
            outcomes.append(
                Outcome(fix, state=State.NOT_MADE, failed_system=failed[0], failed_code=failed[1])
            )
        else:
            outcomes.append(Outcome(fix, state=State.NOT_NEEDED))
    return outcomes


def new_key() -> str:
    """The platform's idempotency key of one attempt (a retry of the same attempt reuses it)."""
    return "fc-" + secrets.token_hex(20)


def close_pending(ctx: ChangeContext, row: Repair, status: str, **fields: Any) -> bool:
    """Finish a pending row unless something else finished it first; audited."""
    before = snapshot(row)
    now = clock.now()
    changed = Repair.objects.filter(pk=row.pk, status=Repair.Status.PENDING).update(
        status=status, finished_at=now, updated=now, **fields
    )
    if not changed:
        return False
    row.refresh_from_db()
    ctx.record(row, ObjectChange.Action.UPDATE, before=before)
    return True


def _supersede_stale(ctx: ChangeContext, fix: Fix, stale_before: datetime) -> None:
    """A pending row older than its limit was left by a request that stopped: it no longer
    holds the repair (its outcome was never read back, so it is not verified)."""
    stale = Repair.objects.filter(
        system=fix.system,
        operation=fix.operation,
        target=fix.target,
        status=Repair.Status.PENDING,
        created__lt=stale_before,
    )
    for row in stale:
        close_pending(
            ctx,
            row,
            Repair.Status.UNVERIFIED,
            error_code="abandoned",
            error="left pending by a request that stopped; replaced by a new repair",
        )


def open_repairs(ctx: ChangeContext, unit: OrgUnit, number: str, outcomes: list[Outcome]) -> None:
    """Write the pending row and its audit row of each repair to send (transaction 1, held by
    the caller). A repair another request holds becomes `in_progress` with that request's row."""
    for outcome in outcomes:
        if outcome.state or outcome.stale_before is None:
            continue
        fix = outcome.fix
        _supersede_stale(ctx, fix, outcome.stale_before)
        try:
            with transaction.atomic():  # a savepoint: the refusal must not end transaction 1
                row = Repair.objects.create(
                    key=new_key(),
                    unit=unit,
                    number=number,
                    product_type=outcome.mismatches[0].product_type,
                    target=fix.target,
                    system=fix.system,
                    operation=fix.operation,
                    arguments=list(fix.extra),
                    mismatches=[m.as_dict() for m in outcome.mismatches],
                    before=outcome.before,
                    requested_by=ctx.actor_label,
                )
                ctx.record(row, ObjectChange.Action.CREATE)
        except IntegrityError:
            outcome.state = State.IN_PROGRESS
            outcome.repair = _fix_rows(fix).filter(status=Repair.Status.PENDING).first()
            continue
        outcome.repair, outcome.sent, outcome.state = row, True, Repair.Status.PENDING


def _fix_rows(fix: Fix) -> Any:
    return Repair.objects.filter(system=fix.system, operation=fix.operation, target=fix.target)


async def send_repairs(number: str, outcomes: list[Outcome], reads: Any) -> dict[int, Result]:
    """Send the commands of the rows this request opened, at once. No transaction is held."""
    mine = [o for o in outcomes if o.sent and o.repair is not None]
    results = await asyncio.gather(
        *(
            registry.call(
                o.fix.system,
                o.fix.operation,
                o.fix.target,
                o.repair.key,  # type: ignore[union-attr]
                *o.fix.extra,
                customer_key=number,
                log=reads.log,
            )
            for o in mine
        )
    )
    return {o.repair.pk: r for o, r in zip(mine, results, strict=True)}  # type: ignore[union-attr]


def may_have_changed(sent: dict[int, Result]) -> bool:
    """Whether any command may have reached its platform (else there is nothing to read back)."""
    return any(r.ok or r.error is None or r.error.code not in NEVER_SENT for r in sent.values())


async def read_back(view: CustomerView) -> Observed | None:
    """Every system of the customer read again, bypassing the call cache (None when CRM could
    not be read)."""
    view.reads.refresh()
    return await observe(CustomerView(view.reads))


def _finish(ctx: ChangeContext, outcome: Outcome, sent: Result, again: Observed | None) -> None:
    row = outcome.repair
    assert row is not None
    fix = outcome.fix
    failed = unreadable(again, fix)
    still = again.comparison.fix(fix.id) if again is not None else None
    fields: dict[str, Any] = {
        "result": sent.data if sent.ok else None,
        "after": state_of(again, fix) if again is not None else None,
    }
    if not sent.ok and sent.error is not None:
        code, message = sent.error.code, sent.error.message[:200]
        if code == "refused":
            status = Repair.Status.REFUSED
        elif again is not None and failed is None and still is None:
            # The command's answer was lost, yet the platform read back now agrees with CRM.
            status, fields["verified"] = Repair.Status.SUCCEEDED, True
            code, message = "answer_lost", f"{code}: {message}"
        else:
            status = Repair.Status.NOT_MADE
        fields.update(error_code=code, error=message)
    elif failed is not None:
        status = Repair.Status.UNVERIFIED
        fields.update(error_code=failed[1], error=f"{failed[0]} could not be read back")
        outcome.failed_system, outcome.failed_code = failed
    elif still is not None:
        status = Repair.Status.FAILED
        outcome.differs = [m.field for m in still[1]]
        fields.update(
            error_code="still_differs",
            error=", ".join(f"{m.field}: {m.actual}" for m in still[1])[:300],
        )
    else:
        status, fields["verified"] = Repair.Status.SUCCEEDED, True
    close_pending(ctx, row, status, **fields)
    outcome.state = row.status


def finish_repairs(
    ctx: ChangeContext,
    number: str,
    outcomes: list[Outcome],
    sent: dict[int, Result],
    again: Observed | None,
    answers: list[tuple[str, Result]] | None,
) -> None:
    """Write each outcome (transaction 2, held by the caller). When a command may have changed a
    platform, the answers read back replace every kept answer of the number (`answers`), so the
    screen shows the platforms as they are now."""
    for outcome in outcomes:
        if outcome.sent and outcome.repair is not None:
            _finish(ctx, outcome, sent[outcome.repair.pk], again)
    if answers is not None:
        cache.forget(number)
        cache.store(number, answers)


def add_history(outcomes: list[Outcome]) -> None:
    """Each outcome's newest earlier repair of the same platform record, shown as history."""
    for outcome in outcomes:
        rows = _fix_rows(outcome.fix)
        if outcome.repair is not None:
            rows = rows.exclude(pk=outcome.repair.pk).filter(created__lte=outcome.repair.created)
        outcome.earlier = rows.order_by("-created", "-pk").first()


async def history(outcomes: list[Outcome]) -> None:
    await sync_to_async(add_history)(outcomes)
