"""SLA clocks: start, stop, pause, resume; and marking notifications read.

Every function takes the caller's `ChangeContext`, writes inside the caller's transaction and
leaves an audit row per clock it changes. Starting a clock of a kind the ticket has running
already returns that clock (a double submit starts nothing twice). The regulatory clock counts
the customer's 15 days and is not paused by a deferral.
"""

from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet

from firstcall.core import clock
from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.errors import ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.sla import alarms
from firstcall.sla.calendar import BusinessCalendar
from firstcall.sla.models import TIMEOUT_REASONS, Clock, Kind, Notification, Policy
from firstcall.sla.policies import calendar_for_ticket, policy_for_ticket
from firstcall.tickets.models import Ticket

__all__ = [
    "TIMEOUT_REASONS",
    "mark_read",
    "pause_clocks",
    "resume_clocks",
    "start_clock",
    "stop_clock",
]

State = Clock.State


def process_of(ticket: Ticket) -> str:
    """The code of the process the ticket runs in, if any (read through the reverse relation, so
    this app does not import the process engine's)."""
    instance = getattr(ticket, "process_instance", None)
    return str(instance.version.process.code) if instance is not None else ""


def start_clock(
    ctx: ChangeContext,
    ticket: Ticket,
    kind: str,
    *,
    started_at: datetime | None = None,
    process: str = "",
) -> Clock:
    """Start the ticket's clock of `kind` (accept, handle, t1, t2, regulatory) under the policy
    for its process (`process`, or the process it runs in), priority and province."""
    if kind not in Kind.values:
        raise ValidationFailed(errors={"kind": [f"unknown clock kind {kind!r}"]})
    live = Clock.objects.filter(ticket=ticket, kind=kind, state__in=Clock.LIVE).first()
    if live is not None:
        return live
    start = started_at or clock.now()
    policy = policy_for_ticket(ticket, process or process_of(ticket))
    if policy.pk is None:
        policy = _fallback_policy(ctx)
    cal = calendar_for_ticket(ticket)
    business = policy.business_time and kind != Kind.REGULATORY
    limit = policy.limit(kind)
    clk = Clock(
        ticket=ticket,
        kind=kind,
        policy=policy,
        business_time=business,
        state=State.RUNNING,
        started_at=start,
        due_at=start + limit,
        # The regulatory limit is calendar days: its business reckoning is the same moment.
        business_due_at=cal.add(start, limit) if kind != Kind.REGULATORY else start + limit,
    )
    clk.warn_at, clk.alarm_at = _warnings(policy, kind, start, limit, business, cal)
    clk.save()
    ctx.record(clk, ObjectChange.Action.CREATE)
    alarms.arm(ctx, clk)
    return clk


def _warnings(
    policy: Policy,
    kind: str,
    start: datetime,
    limit: timedelta,
    business: bool,
    cal: BusinessCalendar,
) -> tuple[datetime | None, datetime | None]:
    if kind == Kind.REGULATORY:
        warn = start + timedelta(days=policy.regulatory_warn_day)
        alarm = start + timedelta(days=policy.regulatory_alarm_day)
        return warn, alarm
    if policy.warn_minutes:
        lead = timedelta(minutes=policy.warn_minutes)
        ahead = max(limit - lead, timedelta(0))
    else:
        ahead = limit * min(max(policy.warn_fraction, 0.0), 1.0)
    return (cal.add(start, ahead) if business else start + ahead), None


def _fallback_policy(ctx: ChangeContext) -> Policy:
    """No policy matches: the built-in defaults, saved once as the catch-all policy."""
    policy, created = Policy.objects.get_or_create(
        process="", priority="", province=None, defaults={"name": "默认时限"}
    )
    if created:
        ctx.record(policy, ObjectChange.Action.CREATE)
    return policy


def stop_clock(ctx: ChangeContext, ticket: Ticket, kind: str) -> None:
    """Stop the ticket's live clock of `kind`, in time or late; no live clock: nothing to do."""
    for clk in _live(ticket).filter(kind=kind):
        _stop(ctx, clk, calendar_for_ticket(ticket))


def stop_all(ctx: ChangeContext, ticket: Ticket) -> None:
    """Stop every live clock of the ticket (archived or cancelled)."""
    cal = calendar_for_ticket(ticket)
    for clk in _live(ticket):
        _stop(ctx, clk, cal)


def _stop(ctx: ChangeContext, clk: Clock, cal: BusinessCalendar) -> None:
    now = clock.now()
    before = snapshot(clk)
    if clk.state == State.PAUSED and clk.paused_at is not None:
        _add_pause(clk, clk.paused_at, now, cal)
    wall = (now - clk.started_at).total_seconds() - clk.paused_seconds
    busy = cal.between(clk.started_at, now).total_seconds() - clk.paused_business_seconds
    clk.wall_seconds_used = max(int(wall), 0)
    clk.business_seconds_used = max(int(busy), 0)
    clk.stopped_late = clk.breached_at is not None or now > clk.deadline
    clk.state, clk.stopped_at, clk.paused_at = State.STOPPED, now, None
    clk.save()
    ctx.record(clk, ObjectChange.Action.UPDATE, before=before)
    alarms.disarm(clk)


def pause_clocks(ctx: ChangeContext, ticket: Ticket, reason: str) -> None:
    """Pause the ticket's running clocks (a deferral, a hold): their timers are cancelled. The
    regulatory clock runs on."""
    now = clock.now()
    for clk in _live(ticket).filter(state=State.RUNNING).exclude(kind=Kind.REGULATORY):
        before = snapshot(clk)
        clk.state, clk.paused_at, clk.pause_reason = State.PAUSED, now, reason[:300]
        clk.save(update_fields=["state", "paused_at", "pause_reason", "updated"])
        ctx.record(clk, ObjectChange.Action.UPDATE, before=before)
        alarms.disarm(clk)


def resume_clocks(ctx: ChangeContext, ticket: Ticket) -> None:
    """Resume the ticket's paused clocks: every due time moves by the time paused (wall-clock
    times by the wall-clock pause, business times by the business time left at the pause), and
    the timers not fired yet are armed again."""
    now = clock.now()
    cal = calendar_for_ticket(ticket)
    for clk in _live(ticket).filter(state=State.PAUSED):
        before = snapshot(clk)
        paused = clk.paused_at or now
        clk.due_at = _shift(clk.due_at, paused, now, None)
        clk.business_due_at = _shift(clk.business_due_at, paused, now, cal)
        counted = cal if clk.business_time else None
        if clk.warn_at is not None:
            clk.warn_at = _shift(clk.warn_at, paused, now, counted)
        if clk.alarm_at is not None:
            clk.alarm_at = _shift(clk.alarm_at, paused, now, counted)
        _add_pause(clk, paused, now, cal)
        clk.state, clk.paused_at = State.RUNNING, None
        clk.save()
        ctx.record(clk, ObjectChange.Action.UPDATE, before=before)
        alarms.arm(ctx, clk)


def _shift(
    moment: datetime, paused: datetime, now: datetime, cal: BusinessCalendar | None
) -> datetime:
    """Where `moment` moves when a clock paused at `paused` resumes at `now`: what was left of it
    at the pause is left of it from now. A moment already past at the pause stays."""
    if moment <= paused:
        return moment
    if cal is None:
        return now + (moment - paused)
    return cal.add(now, cal.between(paused, moment))


def _add_pause(clk: Clock, paused: datetime, now: datetime, cal: BusinessCalendar) -> None:
    clk.paused_seconds += max(int((now - paused).total_seconds()), 0)
    clk.paused_business_seconds += max(int(cal.between(paused, now).total_seconds()), 0)


def _live(ticket: Ticket) -> QuerySet[Clock]:
    return Clock.objects.select_for_update().filter(ticket=ticket, state__in=Clock.LIVE)


def mark_read(ctx: ChangeContext, user: Any, ids: list[int] | None = None) -> int:
    """Mark the user's unread notifications read (those of `ids`, or all); a second call changes
    nothing."""
    now = clock.now()
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    count = 0
    for note in unread.order_by("id")[:500]:
        before = snapshot(note)
        note.read_at = now
        note.save(update_fields=["read_at"])
        ctx.record(note, ObjectChange.Action.UPDATE, before=before)
        count += 1
    return count
