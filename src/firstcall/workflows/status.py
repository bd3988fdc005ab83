"""A back-office ticket's status and history: the one transition table every operation moves
through, the ticket event each operation writes (with the acting user) and the outbox event of
a status change."""

from typing import Any

from django.utils.translation import gettext as _

from firstcall.core import clock, outbox
from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.errors import InvalidTransition
from firstcall.core.models import ObjectChange
from firstcall.tickets.models import Ticket, TicketEvent

S = Ticket.Status
WORKING = {S.ACCEPTING, S.IN_PROGRESS, S.REVIEWING}
# status -> the statuses a back-office operation may move it to. A move to the same status is no
# move (the operation still writes its event). Archived reopens; cancelled is final.
TRANSITIONS: dict[str, set[str]] = {
    S.OPEN: {*WORKING, S.ARCHIVED, S.CANCELLED},
    S.ACCEPTING: {*WORKING, S.DEFERRED, S.ARCHIVED, S.CANCELLED},
    S.IN_PROGRESS: {*WORKING, S.DEFERRED, S.ARCHIVED, S.CANCELLED},
    S.REVIEWING: {*WORKING, S.DEFERRED, S.ARCHIVED, S.CANCELLED},
    S.DEFERRED: {*WORKING, S.ARCHIVED, S.CANCELLED},
    S.ARCHIVED: set(WORKING),
    S.CANCELLED: set(),
}
# A task's `status` property -> the ticket status while it is ready.
TASK_STATUS = {"accepting": S.ACCEPTING, "in_progress": S.IN_PROGRESS, "reviewing": S.REVIEWING}
# The action a task is completed with -> the history line it writes.
ACTION_EVENTS: dict[str, str] = {
    "accept": TicketEvent.Action.ACCEPTED,
    "dispatch": TicketEvent.Action.DISPATCHED,
    "redispatch": TicketEvent.Action.REDISPATCHED,
    "feedback": TicketEvent.Action.HANDLED,
    "handle": TicketEvent.Action.HANDLED,
    "return": TicketEvent.Action.RETURNED,
    "reject": TicketEvent.Action.REJECTED,
    "pass": TicketEvent.Action.REVIEW_PASSED,
    "fail": TicketEvent.Action.REVIEW_FAILED,
    "reply": TicketEvent.Action.REPLIED,
    "archive": TicketEvent.Action.ARCHIVED,
}
PRIORITIES = ["low", "normal", "high", "urgent"]


def raised(priority: str) -> str:
    """One priority level up (urgent stays urgent)."""
    index = PRIORITIES.index(priority) if priority in PRIORITIES else 1
    return PRIORITIES[min(index + 1, len(PRIORITIES) - 1)]


def user_of(ctx: ChangeContext) -> Any:
    return ctx.actor if getattr(ctx.actor, "pk", None) else None


def locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().select_related("unit").get(pk=ticket.pk)


def check(ticket: Ticket, status: str, action: str) -> None:
    if status != ticket.status and status not in TRANSITIONS.get(ticket.status, set()):
        raise InvalidTransition(
            _("A ticket that is %(status)s cannot be %(action)s.")
            % {
                "status": ticket.get_status_display(),
                "action": TicketEvent.Action(action).label,
            },
            status=ticket.status,
        )


def event(
    ctx: ChangeContext,
    ticket: Ticket,
    action: str,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        time=clock.now(),
        actor=ctx.actor_label,
        user=user_of(ctx),
        action=action,
        note=note,
        data=data or {},
    )


def record(
    ctx: ChangeContext,
    ticket: Ticket,
    action: str,
    note: str = "",
    *,
    status: str | None = None,
    data: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
    **changes: Any,
) -> TicketEvent:
    """One operation on the ticket: the status move (checked against the table) and field
    changes with their audit row, the history line, and `ticket.status_changed` in the outbox
    when the status moved. `before` is the ticket's snapshot when the caller changed fields on
    it already (they are saved with the rest)."""
    if before is None:
        before = snapshot(ticket)
    target = status or ticket.status
    if target != before["status"] and target not in TRANSITIONS.get(before["status"], set()):
        check(ticket, target, action)
    changes["status"] = target
    for name, value in changes.items():
        setattr(ticket, name, value)
    ticket.save(update_fields=list(changes))
    after = snapshot(ticket)
    if {k: v for k, v in after.items() if k != "updated"} != {
        k: v for k, v in before.items() if k != "updated"
    }:
        ctx.record(ticket, ObjectChange.Action.UPDATE, before=before, after=after)
    line = event(ctx, ticket, action, note, data)
    if ticket.status != before["status"]:
        facts = {"ticket": ticket.code, "id": ticket.pk, "kind": ticket.kind}
        outbox.event(
            ctx,
            "ticket.status_changed",
            str(line.pk),
            {
                **facts,
                "unit": ticket.unit_id,
                "status": ticket.status,
                "previous": before["status"],
                "action": action,
            },
        )
    return line
