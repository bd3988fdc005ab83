"""Ticket writes: the pre-processing ticket every call opens and the ways a call ends.

Every write leaves its audit row, its history line and its event (`ticket.created`,
`ticket.status_changed`, in the outbox) in the caller's transaction: the request or job commits
them together. A transition that the ticket's status does not allow is refused (409) and changes
nothing. A held call arms its resume reminder (a timer), which resuming cancels.
"""

import re
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _

from firstcall.core import clock, outbox, timers
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
DESCRIPTION_LIMIT = 1000
# A number to call the customer back on: a mobile (1 and ten digits), a fixed line with its area
# code (0 and 9 to 11 digits) or a local fixed line (7 or 8 digits, not starting with 0 or 1).
CALLBACK_NUMBER = re.compile(r"^(?:1\d{10}|0\d{9,11}|[2-9]\d{6,7})$", re.ASCII)
COUNTRY_PREFIX = re.compile(r"^(?:\+|00)86")
HOLD_LIMIT = timedelta(days=30)  # a held call is resumed within a month
RESUME_REMINDER = "ticket.resume_reminder"
Status = Ticket.Status
Action = TicketEvent.Action


def _emit(ctx: ChangeContext, name: str, ticket: Ticket, key: str, **data: Any) -> None:
    facts = {"ticket": ticket.code, "id": ticket.pk, "kind": ticket.kind, "unit": ticket.unit_id}
    outbox.event(ctx, name, key, {**facts, "status": ticket.status, **data})


def _event(
    ctx: ChangeContext, ticket: Ticket, action: str, note: str = "", **data: Any
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        time=clock.now(),
        actor=ctx.actor_label,
        # The person, when a person acted: the history names them, the done list finds it.
        user=ctx.actor if getattr(ctx.actor, "pk", None) else None,
        action=action,
        note=note,
        data=data,
    )


def _create(ctx: ChangeContext, **fields: Any) -> Ticket:
    # The number carries the primary key, known only after the insert: a unique placeholder first.
    ticket = Ticket.objects.create(code=f"new-{uuid.uuid4().hex[:24]}", **fields)
    ticket.code = f"{PREFIX[ticket.kind]}{ticket.opened_at:%Y%m%d}{ticket.pk:07d}"
    ticket.save(update_fields=["code"])
    ctx.record(ticket, ObjectChange.Action.CREATE)
    _event(ctx, ticket, Action.OPENED)
    _emit(ctx, "ticket.created", ticket, ticket.code)
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
    event = _event(ctx, ticket, action, note)
    if ticket.status != before["status"]:
        _emit(
            ctx,
            "ticket.status_changed",
            ticket,
            str(event.pk),
            previous=before["status"],
            action=action,
        )
    return ticket


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


def add_note(ctx: ChangeContext, ticket: Ticket, note: str) -> None:
    if not note.strip():
        raise ValidationFailed(errors={"note": [_("Write the note.")]})
    if len(note) > NOTE_LIMIT:
        raise ValidationFailed(
            errors={"note": [_("A note has at most %(n)s characters.") % {"n": NOTE_LIMIT}]}
        )
    ctx.record(_event(ctx, ticket, Action.NOTE, note.strip()), ObjectChange.Action.CREATE)


def _check_length(field: str, text: str) -> None:
    if len(text) > NOTE_LIMIT:
        raise ValidationFailed(
            errors={field: [_("A note has at most %(n)s characters.") % {"n": NOTE_LIMIT}]}
        )


def normalise_callback(raw: str) -> str:
    """A typed callback number without its spacing and the country code (+86 138 0013 8000)."""
    number = re.sub(r"[\s()\-]", "", raw or "")
    return COUNTRY_PREFIX.sub("", number)


def caller_errors(description: str, callback_number: str) -> dict[str, list[str]]:
    """What is wrong with the caller's description and callback number, a field error each."""
    errors = {}
    if len(description.strip()) > DESCRIPTION_LIMIT:
        errors["caller_description"] = [
            _("A description has at most %(n)s characters.") % {"n": DESCRIPTION_LIMIT}
        ]
    number = normalise_callback(callback_number)
    if number and not CALLBACK_NUMBER.match(number):
        errors["callback_number"] = [
            _("Enter a mobile number or a fixed-line number with its area code.")
        ]
    return errors


def record_caller(
    ctx: ChangeContext, ticket: Ticket, description: str, callback_number: str
) -> Ticket:
    """What the caller says and the number to call back on, kept on the open call's ticket (and
    carried into the ticket it is converted into). Saving the same values again writes nothing."""
    errors = caller_errors(description, callback_number)
    if errors:
        raise ValidationFailed(errors=errors)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status != Status.OPEN:
        raise InvalidTransition(
            _("A ticket that is %(status)s no longer records what the caller says.")
            % {"status": ticket.get_status_display()},
            status=ticket.status,
        )
    changes = {
        "caller_description": description.strip(),
        "callback_number": normalise_callback(callback_number),
    }
    if all(getattr(ticket, name) == value for name, value in changes.items()):
        return ticket
    before = snapshot(ticket)
    for name, value in changes.items():
        setattr(ticket, name, value)
    ticket.save(update_fields=list(changes))
    ctx.record(ticket, ObjectChange.Action.UPDATE, before=before)
    return ticket


def resolve(ctx: ChangeContext, ticket: Ticket, reply: str, diagnosis: dict[str, Any]) -> Ticket:
    """Resolved at first contact, with the reply the customer was given."""
    if not reply.strip():
        raise ValidationFailed(errors={"reply": [_("Write the reply given to the customer.")]})
    _check_length("reply", reply)
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


def hold_errors(reason: str, resume_at: datetime | None) -> dict[str, list[str]]:
    """What is wrong with a hold's reason and time (a field error each), checked before any
    write so that neither database ever sees an over-long reason."""
    errors = {}
    limit = Ticket._meta.get_field("hold_reason").max_length or 0
    if not reason.strip():
        errors["reason"] = [_("Say why the call is held.")]
    elif len(reason.strip()) > limit:
        errors["reason"] = [_("A reason has at most %(n)s characters.") % {"n": limit}]
    now = clock.now()
    if resume_at is None or resume_at <= now:
        errors["resume_at"] = [_("Choose a time to resume in the future.")]
    elif resume_at > now + HOLD_LIMIT:
        errors["resume_at"] = [
            _("Choose a time to resume within %(n)s days.") % {"n": HOLD_LIMIT.days}
        ]
    return errors


def hold(ctx: ChangeContext, ticket: Ticket, reason: str, resume_at: datetime | None) -> Ticket:
    """Hold the call until `resume_at`, when its resume reminder fires."""
    errors = hold_errors(reason, resume_at)
    if errors or resume_at is None:
        raise ValidationFailed(errors=errors)
    held = _move(
        ctx,
        ticket,
        (Status.OPEN,),
        Action.HELD,
        reason.strip(),
        status=Status.HELD,
        hold_reason=reason.strip(),
        resume_at=resume_at,
        reminded_at=None,
    )
    timers.arm(ctx, RESUME_REMINDER, resume_at, key=str(held.pk), payload={"ticket": held.pk})
    return held


def resume(ctx: ChangeContext, ticket: Ticket) -> Ticket:
    resumed = _move(
        ctx,
        ticket,
        (Status.HELD,),
        Action.RESUMED,
        status=Status.OPEN,
        resume_at=None,
        reminded_at=None,
    )
    timers.cancel(RESUME_REMINDER, str(resumed.pk))
    return resumed


def remind_resume(ctx: ChangeContext, payload: dict[str, Any]) -> None:
    """The resume reminder's timer fired: the held call is due, on its history and on the
    agent's list of held calls. A call resumed meanwhile (its timer is cancelled then) or held
    again to a later time (its timer moved) is left alone."""
    ticket = Ticket.objects.select_for_update().filter(pk=payload["ticket"]).first()
    if ticket is None or ticket.status != Status.HELD or ticket.reminded_at is not None:
        return
    before = snapshot(ticket)
    ticket.reminded_at = clock.now()
    ticket.save(update_fields=["reminded_at"])
    ctx.record(ticket, ObjectChange.Action.UPDATE, before=before)
    when = ticket.resume_at.isoformat() if ticket.resume_at else ""
    _event(ctx, ticket, Action.REMINDED, resume_at=when)


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
    limit = Ticket._meta.get_field("receiving_group").max_length or 0
    if len(receiving_group.strip()) > limit:
        raise ValidationFailed(
            errors={
                "receiving_group": [_("A group name has at most %(n)s characters.") % {"n": limit}]
            }
        )
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
        summary=summary.strip()[:500],
        caller_description=source.caller_description,
        callback_number=source.callback_number,
        opened_by=source.opened_by,
        converted_from=source,
        receiving_group=receiving_group.strip(),
        priority=priority,
        diagnosis=diagnosis,
    )


def transfer(ctx: ChangeContext, ticket: Ticket, note: str, diagnosis: dict[str, Any]) -> Ticket:
    """To the expert desk: the ticket waits in the expert queue until an expert claims it."""
    _check_length("note", note)
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
