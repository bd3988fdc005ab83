"""The timers of a clock (warning, alarm, breach) and what happens when one fires.

Each running clock has up to three durable timers (`core.timers`), keyed by the clock's id: the
warning at `warn_at`, the alarm at `alarm_at` (the regulatory clock's day 13) and the breach at
its deadline. A pause cancels them; a resume arms them again at the moved times. A handler acts
once: it stamps the clock (`warned_at`, `alarmed_at`, `breached_at`) under a row lock and does
nothing when the stamp is there already or the clock is no longer running.
"""

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

from firstcall.accounts.models import Membership
from firstcall.core import clock, timers
from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.models import ObjectChange
from firstcall.sla.models import Clock, Notification
from firstcall.sla.policies import ancestor_paths
from firstcall.tickets.models import Ticket, TicketEvent

WARN = "sla.warn"
ALARM = "sla.alarm"
BREACH = "sla.breach"
KINDS = (WARN, ALARM, BREACH)
# Who hears of a clock's warning and breach: holders of these roles (see `supervisors`).
SUPERVISOR_FLOW_ROLE = "reviewer"
SUPERVISOR_FUNCTION_ROLE = "supervisor"
PRIORITY_ORDER = [p.value for p in Ticket.Priority]

_STAMP: dict[str, str] = {
    Notification.Kind.WARN: "warned_at",
    Notification.Kind.ALARM: "alarmed_at",
    Notification.Kind.BREACH: "breached_at",
}


def arm(ctx: ChangeContext, clk: Clock) -> None:
    """Arm the timers of a running clock that have not fired yet."""
    key, payload = str(clk.pk), {"clock": clk.pk}
    deadline = clk.deadline
    if clk.warn_at and clk.warned_at is None and clk.warn_at < deadline:
        timers.arm(ctx, WARN, clk.warn_at, key=key, payload=payload)
    if clk.alarm_at and clk.alarmed_at is None and clk.alarm_at < deadline:
        timers.arm(ctx, ALARM, clk.alarm_at, key=key, payload=payload)
    if clk.breached_at is None:
        timers.arm(ctx, BREACH, deadline, key=key, payload=payload)


def disarm(clk: Clock) -> None:
    for kind in KINDS:
        timers.cancel(kind, str(clk.pk))


def supervisors(ticket: Ticket) -> list[int]:
    """The ids of the users told of the ticket's clocks: active holders of the `reviewer` flow
    role or the `supervisor` function role in a membership whose company contains the ticket's
    unit, at the nearest level that has any (the city's supervisors; the province's when the
    city has none; headquarters' when neither has)."""
    unit = ticket.unit
    rows = list(
        Membership.objects.filter(
            Q(flow_role__code=SUPERVISOR_FLOW_ROLE) | Q(role__code=SUPERVISOR_FUNCTION_ROLE),
            unit__scope_path__in=ancestor_paths(unit.path),
            unit__is_active=True,
            user__is_active=True,
        ).values_list("user_id", "unit__scope_path")
    )
    if not rows:
        return []
    nearest = max(len(path) for _, path in rows)
    return sorted({user for user, path in rows if len(path) == nearest})


def on_warn(ctx: ChangeContext, payload: dict[str, Any]) -> None:
    _fire(ctx, payload, Notification.Kind.WARN)


def on_alarm(ctx: ChangeContext, payload: dict[str, Any]) -> None:
    _fire(ctx, payload, Notification.Kind.ALARM)


def on_breach(ctx: ChangeContext, payload: dict[str, Any]) -> None:
    _fire(ctx, payload, Notification.Kind.BREACH)


def _fire(ctx: ChangeContext, payload: dict[str, Any], kind: str) -> None:
    clock_id = int(payload.get("clock") or 0)
    ticket_id = Clock.objects.filter(pk=clock_id).values_list("ticket_id", flat=True).first()
    if ticket_id is None:
        return
    # The ticket first, then its clock: the order the process's operations lock them in (an
    # operation locks the ticket, then stops or pauses its clocks), so the two never deadlock.
    ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
    clk = Clock.objects.select_for_update().filter(pk=clock_id).first()
    stamp = _STAMP[kind]
    if clk is None or clk.state != Clock.State.RUNNING or getattr(clk, stamp) is not None:
        return
    now = clock.now()
    before = snapshot(clk)
    setattr(clk, stamp, now)
    clk.save(update_fields=[stamp])
    ctx.record(clk, ObjectChange.Action.UPDATE, before=before)
    if kind == Notification.Kind.BREACH:
        _mark_overdue(ctx, ticket, raise_priority=clk.policy.raise_priority)
    action = (
        TicketEvent.Action.SLA_BREACHED
        if kind == Notification.Kind.BREACH
        else TicketEvent.Action.SLA_WARNED
    )
    text = _text(clk)
    TicketEvent.objects.create(
        ticket=ticket,
        time=now,
        actor=ctx.actor_label,
        action=action,
        note=text,
        data={"clock": clk.kind, "level": kind, "deadline": clk.deadline.isoformat()},
    )
    for user_id in supervisors(ticket):
        note, created = Notification.objects.get_or_create(
            user_id=user_id,
            clock=clk,
            kind=kind,
            defaults={"ticket": ticket, "text": text, "created": now},
        )
        if created:
            ctx.record(note, ObjectChange.Action.CREATE)


def _mark_overdue(ctx: ChangeContext, ticket: Ticket, *, raise_priority: bool) -> None:
    before = snapshot(ticket)
    fields = ["overdue"]
    ticket.overdue = True
    if raise_priority:
        raised = raise_one_level(ticket.priority)
        if raised != ticket.priority:
            ticket.priority = raised
            fields.append("priority")
    ticket.save(update_fields=fields)
    ctx.record(ticket, ObjectChange.Action.UPDATE, before=before)


def raise_one_level(priority: str) -> str:
    """One level up (a blank priority counts as normal); urgent stays urgent."""
    current = PRIORITY_ORDER.index(priority) if priority in PRIORITY_ORDER else 1
    return PRIORITY_ORDER[min(current + 1, len(PRIORITY_ORDER) - 1)]


def _text(clk: Clock) -> str:
    """The line on the history and the notification, in the site's language (it is stored)."""
    with translation.override(settings.LANGUAGE_CODE):
        due = date_format(localtime(clk.deadline), "Y-m-d H:i")
        return f"{clk.get_kind_display()} · {due}"
