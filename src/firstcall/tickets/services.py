"""Ticket writes: the pre-processing ticket every call opens and the ways a call ends.

Every write is one transaction with its audit row and its history line. A transition that the
ticket's status does not allow is refused (409) and changes nothing.
"""

import uuid
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from firstcall.core import clock
from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.errors import InvalidTransition, ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.orgs.models import OrgUnit
from firstcall.tickets.models import Ticket, TicketEvent

PREFIX: dict[str, str] = {
    Ticket.Kind.PREPROCESSING: "YCL",  # 预处理单
    Ticket.Kind.FAULT: "ZA",  # 障碍单
    Ticket.Kind.COMPLAINT: "TS",  # 投诉单
}
NOTE_LIMIT = 4000
Status = Ticket.Status
Action = TicketEvent.Action


def _event(
    ctx: ChangeContext, ticket: Ticket, action: str, note: str = "", **data: Any
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket, time=clock.now(), actor=ctx.actor_label, action=action, note=note, data=data
    )


def _create(ctx: ChangeContext, **fields: Any) -> Ticket:
    # The number carries the primary key, known only after the insert: a unique placeholder first.
    ticket = Ticket.objects.create(code=f"new-{uuid.uuid4().hex[:24]}", **fields)
    ticket.code = f"{PREFIX[ticket.kind]}{ticket.opened_at:%Y%m%d}{ticket.pk:07d}"
    ticket.save(update_fields=["code"])
    ctx.record(ticket, ObjectChange.Action.CREATE)
    _event(ctx, ticket, Action.OPENED)
    return ticket


def _move(
    ctx: ChangeContext,
    ticket: Ticket,
    allowed: tuple[str, ...],
    action: str,
    note: str = "",
    **changes: Any,
) -> Ticket:
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status not in allowed:
        raise InvalidTransition(
            _("A ticket that is %(status)s cannot be %(action)s.")
            % {"status": ticket.get_status_display(), "action": TicketEvent.Action(action).label},
            status=ticket.status,
        )
    before = snapshot(ticket)
    for name, value in changes.items():
        setattr(ticket, name, value)
    ticket.save()
    ctx.record(ticket, ObjectChange.Action.UPDATE, before=before)
    _event(ctx, ticket, action, note)
    return ticket


@transaction.atomic
def open_preprocessing(
    ctx: ChangeContext,
    *,
    unit: OrgUnit,
    customer_id: str,
    service_number: str,
    phenomenon_code: str = "",
    phenomenon: str = "",
    customer_level: str = "",
) -> Ticket:
    return _create(
        ctx,
        kind=Ticket.Kind.PREPROCESSING,
        status=Status.OPEN,
        unit=unit,
        customer_id=customer_id,
        service_number=service_number,
        phenomenon_code=phenomenon_code,
        phenomenon=phenomenon,
        customer_level=customer_level[:20],
        opened_by=ctx.actor if getattr(ctx.actor, "pk", None) else None,
    )


@transaction.atomic
def add_note(ctx: ChangeContext, ticket: Ticket, note: str) -> None:
    if not note.strip():
        raise ValidationFailed(errors={"note": [_("Write the note.")]})
    if len(note) > NOTE_LIMIT:
        raise ValidationFailed(
            errors={"note": [_("A note has at most %(n)s characters.") % {"n": NOTE_LIMIT}]}
        )
    ctx.record(_event(ctx, ticket, Action.NOTE, note.strip()), ObjectChange.Action.CREATE)


@transaction.atomic
def resolve(ctx: ChangeContext, ticket: Ticket, reply: str, diagnosis: dict[str, Any]) -> Ticket:
    """Resolved at first contact, with the reply the customer was given."""
    if not reply.strip():
        raise ValidationFailed(errors={"reply": [_("Write the reply given to the customer.")]})
    return _move(
        ctx,
        ticket,
        (Status.OPEN,),
        Action.RESOLVED,
        reply.strip(),
        status=Status.RESOLVED,
        reply=reply.strip(),
        diagnosis=diagnosis,
        closed_at=clock.now(),
    )


@transaction.atomic
def hold(ctx: ChangeContext, ticket: Ticket, reason: str, resume_at: datetime | None) -> Ticket:
    errors = {}
    if not reason.strip():
        errors["reason"] = [_("Say why the call is held.")]
    if resume_at is None or resume_at <= clock.now():
        errors["resume_at"] = [_("Choose a time to resume in the future.")]
    if errors:
        raise ValidationFailed(errors=errors)
    return _move(
        ctx,
        ticket,
        (Status.OPEN,),
        Action.HELD,
        reason.strip(),
        status=Status.HELD,
        hold_reason=reason.strip(),
        resume_at=resume_at,
    )


@transaction.atomic
def resume(ctx: ChangeContext, ticket: Ticket) -> Ticket:
    return _move(ctx, ticket, (Status.HELD,), Action.RESUMED, status=Status.OPEN, resume_at=None)


@transaction.atomic
def convert(
    ctx: ChangeContext,
    ticket: Ticket,
    *,
    kind: str,
    receiving_group: str,
    priority: str = "normal",
    summary: str = "",
    diagnosis: dict[str, Any],
) -> Ticket:
    """The call becomes a fault or complaint ticket carrying the diagnosis, the path and the
    evidence; the pre-processing ticket is closed as converted and links to it."""
    if kind not in (Ticket.Kind.FAULT, Ticket.Kind.COMPLAINT):
        raise ValidationFailed(errors={"kind": [_("Choose a fault or a complaint ticket.")]})
    if not receiving_group.strip():
        raise ValidationFailed(errors={"receiving_group": [_("Name the receiving group.")]})
    source = _move(
        ctx,
        ticket,
        (Status.OPEN,),
        Action.CONVERTED,
        receiving_group,
        status=Status.CONVERTED,
        diagnosis=diagnosis,
        closed_at=clock.now(),
    )
    return _create(
        ctx,
        kind=kind,
        status=Status.OPEN,
        unit=source.unit,
        customer_id=source.customer_id,
        service_number=source.service_number,
        phenomenon_code=source.phenomenon_code,
        phenomenon=source.phenomenon,
        customer_level=source.customer_level,
        summary=summary[:500],
        opened_by=source.opened_by,
        converted_from=source,
        receiving_group=receiving_group.strip(),
        priority=priority,
        diagnosis=diagnosis,
    )


@transaction.atomic
def transfer(ctx: ChangeContext, ticket: Ticket, note: str, diagnosis: dict[str, Any]) -> Ticket:
    """To the expert desk: the ticket waits in the expert queue until an expert claims it."""
    return _move(
        ctx,
        ticket,
        (Status.OPEN,),
        Action.TRANSFERRED,
        note,
        status=Status.TRANSFERRED,
        assignee=None,
        diagnosis=diagnosis,
    )


@transaction.atomic
def claim(ctx: ChangeContext, ticket: Ticket) -> Ticket:
    """An expert takes a transferred call and continues it in the same session."""
    return _move(
        ctx,
        ticket,
        (Status.TRANSFERRED,),
        Action.CLAIMED,
        status=Status.OPEN,
        assignee=ctx.actor if getattr(ctx.actor, "pk", None) else None,
    )
