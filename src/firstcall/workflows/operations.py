"""The ticket-wide back-office operations, beside the process's own steps: chase (催办), stage
reply and notice (阶段回复 / 阶段通知), hand over (移交) and dispatch again (重派) a work item, ask
for a deferral and decide it (申请延期 / 延期审批), cancel (撤单) and reopen. Each checks who may
do it, writes its ticket event and audit rows and, where the state changes, bumps the instance's
revision (a stale `revision` is a conflict)."""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from firstcall.core import clock, outbox
from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.errors import Conflict, Forbidden, InvalidTransition, ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.core.scope import has_permission_at
from firstcall.orgs.models import OrgUnit
from firstcall.sla import services as sla
from firstcall.tickets.models import Ticket, TicketEvent
from firstcall.workflows import access, engine, forms, items, status, units
from firstcall.workflows.models import ProcessInstance, WorkItem

Action = TicketEvent.Action
S = Ticket.Status
NOTE_LIMIT = forms.LONG_TEXT_LIMIT
WORKING = (S.ACCEPTING, S.IN_PROGRESS, S.REVIEWING, S.DEFERRED)
TICKET_ROLES = ("dispatcher", "supervisor", "reviewer")


def _text(field: str, text: str, *, required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationFailed(errors={field: [_("This field is required.")]})
    if len(text) > NOTE_LIMIT:
        raise ValidationFailed(errors={field: [_("At most %(n)s characters.") % {"n": NOTE_LIMIT}]})
    return text


def _instance(ticket: Ticket) -> ProcessInstance:
    instance = (
        ProcessInstance.objects.select_related("version__process").filter(ticket=ticket).first()
    )
    if instance is None:
        raise Conflict(_("This ticket is not in a back-office process."), code="no_process")
    return instance


def _working(ticket: Ticket, action: str) -> None:
    if ticket.status not in WORKING:
        raise InvalidTransition(
            _("A ticket that is %(status)s cannot be %(action)s.")
            % {"status": ticket.get_status_display(), "action": Action(action).label},
            status=ticket.status,
        )


def _notify(ctx: ChangeContext, name: str, ticket: Ticket, line: TicketEvent, **data: Any) -> None:
    """An event the notification side subscribes to (who is waiting on the ticket's items)."""
    ready = list(
        ticket.items.filter(state=WorkItem.State.READY).values_list("unit_id", "assignee_id")
    )
    outbox.event(
        ctx,
        name,
        str(line.pk),
        {
            "ticket": ticket.code,
            "id": ticket.pk,
            "status": ticket.status,
            "units": sorted({u for u, _a in ready}),
            "assignees": sorted({a for _u, a in ready if a}),
            **data,
        },
    )


def _my_ready_item(user: Any, ticket: Ticket) -> WorkItem:
    for item in ticket.items.filter(state=WorkItem.State.READY).exclude(task_spec=items.DEFERRAL):
        if access.may_act(user, item):
            return item
    raise Forbidden(code="not_your_ticket", ticket=ticket.pk)


# --- messages on the ticket -------------------------------------------------------------------


def chase(ctx: ChangeContext, ticket: Ticket, note: str) -> TicketEvent:
    """催办: someone in the ticket's scope (the back office, or an agent the customer called
    again) presses for it; the units and people waiting on it are told (an outbox event)."""
    note = _text("note", note)
    ticket = status.locked(ticket)
    allowed = access.may_work_ticket(ctx.actor, ticket) or has_permission_at(
        ctx.actor, "accounts.use_agent_workbench", ticket.unit.path
    )
    if not allowed:
        raise Forbidden(code="not_your_ticket", ticket=ticket.pk)
    _working(ticket, Action.CHASED)
    return _said(ctx, ticket, Action.CHASED, "ticket.chased", note=note)


def stage_reply(ctx: ChangeContext, ticket: Ticket, text: str) -> TicketEvent:
    """阶段回复: the handler of a ready item says how far the work has come."""
    text = _text("text", text)
    ticket = status.locked(ticket)
    _working(ticket, Action.STAGE_REPLY)
    item = _my_ready_item(ctx.actor, ticket)
    return _said(ctx, ticket, Action.STAGE_REPLY, "ticket.stage_reply", text=text, item=item.pk)


def stage_notice(ctx: ChangeContext, ticket: Ticket, text: str) -> TicketEvent:
    """阶段通知: the dispatching or supervising side tells the units working the ticket."""
    text = _text("text", text)
    ticket = status.locked(ticket)
    access.require_ticket_role(ctx.actor, ticket, TICKET_ROLES)
    _working(ticket, Action.STAGE_NOTICE)
    return _said(ctx, ticket, Action.STAGE_NOTICE, "ticket.stage_notice", text=text)


def _said(
    ctx: ChangeContext,
    ticket: Ticket,
    action: str,
    event: str,
    *,
    note: str = "",
    text: str = "",
    item: int | None = None,
) -> TicketEvent:
    """A message on the ticket (a chase, a stage reply or notice): its history line, that line's
    audit row, and the event that tells the units and people working it."""
    data = {"item": item} if item is not None else {}
    line = status.record(ctx, ticket, action, note or text, data=data)
    ctx.record(line, ObjectChange.Action.CREATE)
    said = {"note": note} if note else {"text": text}
    _notify(ctx, event, ticket, line, **said)
    return line


# --- moving a work item -----------------------------------------------------------------------


def _move_item(
    ctx: ChangeContext, item: WorkItem, unit: OrgUnit, action: str, note: str, revision: int | None
) -> WorkItem:
    ticket = status.locked(item.ticket)
    items.lock(item.instance, revision)
    before = {"unit": item.unit_id, "assignee": item.assignee_id}
    item.unit, item.unit_path, item.assignee, item.claimed_at = unit, unit.path, None, None
    item.save(update_fields=["unit", "unit_path", "assignee", "claimed_at"])
    ctx.record(item, ObjectChange.Action.UPDATE, before=before)
    line = status.record(
        ctx,
        ticket,
        action,
        note,
        data={"item": item.pk, "from": before["unit"], "to": unit.pk, "to_name": unit.name},
    )
    _notify(ctx, "ticket.handed_over", ticket, line, item=item.pk, to=unit.pk)
    return item


def transfer(
    ctx: ChangeContext,
    item: WorkItem,
    unit: OrgUnit,
    note: str = "",
    *,
    revision: int | None = None,
) -> WorkItem:
    """移交: the item's holder hands it to another unit of the same kind in the province (the same
    step; the process does not move)."""
    item = WorkItem.objects.select_related("instance", "ticket", "unit").get(pk=item.pk)
    access.require_may_act(ctx.actor, item)
    if unit.pk not in {u.pk for u in units.transfer_targets(item.unit)}:
        raise ValidationFailed(
            errors={"unit": [_("Choose a unit of the same kind in the province.")]}
        )
    return _move_item(
        ctx, item, unit, Action.HANDED_OVER, _text("note", note, required=False), revision
    )


def redispatch(
    ctx: ChangeContext,
    item: WorkItem,
    unit: OrgUnit,
    note: str = "",
    *,
    revision: int | None = None,
) -> WorkItem:
    """重派: the ticket's dispatcher sends a ready handling item to another department of the
    province (网维 instead of 网优, another city's 装维)."""
    item = WorkItem.objects.select_related("instance", "ticket__unit", "unit").get(pk=item.pk)
    if item.state != WorkItem.State.READY or item.task_spec == items.DEFERRAL:
        raise Conflict(code="item_not_ready", item=item.pk)
    access.require_ticket_role(ctx.actor, item.ticket, ("dispatcher",))
    province = units.company_of(item.unit, OrgUnit.Level.PROVINCE)
    if (
        unit.pk == item.unit_id
        or not unit.is_active
        or unit.level != OrgUnit.Level.DEPARTMENT
        or not unit.path.startswith(province.path)
    ):
        raise ValidationFailed(errors={"unit": [_("Choose another department in the province.")]})
    return _move_item(
        ctx, item, unit, Action.REDISPATCHED, _text("note", note, required=False), revision
    )


# --- deferral ---------------------------------------------------------------------------------


def request_deferral(
    ctx: ChangeContext,
    ticket: Ticket,
    until: datetime | None,
    reason: str,
    *,
    revision: int | None = None,
) -> WorkItem:
    """申请延期: the handler of a ready item asks to finish later. A supervisor's approval item is
    created (flow role `supervisor`, at the item's company) and the handling clocks pause until
    the decision."""
    values, errors = forms.clean(
        "deferral", {"until": until.isoformat() if until else "", "reason": reason}
    )
    if "until" not in errors and (until is None or until <= clock.now()):
        errors["until"] = [_("Choose a time in the future.")]
    if errors or until is None:
        raise ValidationFailed(errors=errors)
    ticket = status.locked(ticket)
    instance = _instance(ticket)
    if items.pending_deferral(instance) is not None:
        raise Conflict(_("A deferral awaits the supervisor's decision."), code="deferral_pending")
    _working(ticket, Action.DEFERRAL_ASKED)
    of = _my_ready_item(ctx.actor, ticket)
    items.lock(instance, revision)
    approval = items.supervisor_item(ctx, instance, ticket, of)
    sla.pause_clocks(ctx, ticket, values["reason"])
    status.record(
        ctx,
        ticket,
        Action.DEFERRAL_ASKED,
        values["reason"],
        status=S.DEFERRED,
        data={
            "until": values["until"],
            "item": of.pk,
            "approval": approval.pk,
            "previous": ticket.status,
        },
    )
    return approval


def decide_deferral(
    ctx: ChangeContext,
    ticket: Ticket,
    approve: bool,
    note: str = "",
    *,
    revision: int | None = None,
) -> TicketEvent:
    """延期审批: the supervisor approves (the deferred item and the ticket are due at the new
    time) or refuses; either way the clocks resume and the ticket is back at its step."""
    note = _text("note", note, required=False)
    ticket = status.locked(ticket)
    instance = _instance(ticket)
    approval = items.pending_deferral(instance)
    if approval is None:
        raise Conflict(_("No deferral awaits a decision."), code="no_deferral")
    access.require_may_act(ctx.actor, approval)
    asked = ticket.events.filter(action=Action.DEFERRAL_ASKED).order_by("-time", "-id").first()
    facts = asked.data if asked else {}
    items.lock(instance, revision)
    items.finish(ctx, approval, WorkItem.State.DONE, "approve" if approve else "refuse")
    sla.resume_clocks(ctx, ticket)
    changes: dict[str, Any] = {}
    if approve and facts.get("until"):
        until = datetime.fromisoformat(facts["until"])
        deferred = WorkItem.objects.filter(
            pk=int(facts.get("item") or 0), state=WorkItem.State.READY
        ).first()
        if deferred is not None:
            before = {"due_at": deferred.due_at.isoformat() if deferred.due_at else None}
            deferred.due_at = until
            deferred.save(update_fields=["due_at"])
            ctx.record(deferred, ObjectChange.Action.UPDATE, before=before)
        changes["due_at"] = items.ticket_due(ticket)
    return status.record(
        ctx,
        ticket,
        Action.DEFERRAL_APPROVED if approve else Action.DEFERRAL_REFUSED,
        note,
        status=facts.get("previous") or S.IN_PROGRESS,
        data={"until": facts.get("until", ""), "approval": approval.pk},
        **changes,
    )


# --- cancel and reopen ------------------------------------------------------------------------


def cancel(
    ctx: ChangeContext, ticket: Ticket, reason: str, *, revision: int | None = None
) -> TicketEvent:
    """撤单: the dispatching or supervising side withdraws the ticket: the process is cancelled,
    every waiting item with it, and the clocks stop."""
    reason = _text("reason", reason)
    ticket = status.locked(ticket)
    access.require_ticket_role(ctx.actor, ticket, TICKET_ROLES)
    instance = _instance(ticket)
    if instance.status != ProcessInstance.Status.RUNNING:
        raise InvalidTransition(
            _("A ticket that is %(status)s cannot be %(action)s.")
            % {"status": ticket.get_status_display(), "action": Action.CANCELLED.label},
            status=ticket.status,
        )
    status.check(ticket, S.CANCELLED, Action.CANCELLED)
    items.lock(instance, revision)
    run = items.run_of(instance)
    run.cancel()
    for item in instance.items.filter(state=WorkItem.State.READY):
        items.finish(ctx, item, WorkItem.State.CANCELLED)
    instance.status = ProcessInstance.Status.CANCELLED
    instance.ended_at = clock.now()
    items.save_run(ctx, instance, run)
    for kind in ("accept", "handle", "t1", "t2", "regulatory"):
        sla.stop_clock(ctx, ticket, kind)
    return status.record(
        ctx,
        ticket,
        Action.CANCELLED,
        reason,
        status=S.CANCELLED,
        current_step="",
        closed_at=clock.now(),
    )


def reopen(
    ctx: ChangeContext, ticket: Ticket, reason: str, *, revision: int | None = None
) -> ProcessInstance:
    """The customer is not satisfied with an archived ticket: a new round of the same process
    version, started again with the data of the last round carried (`round` counts, `reopened`
    is true) as a repeat complaint (repeat count at least 1: the processes send it to T2), one
    priority up. The path of the earlier rounds is kept."""
    reason = _text("reason", reason)
    ticket = status.locked(ticket)
    access.require_ticket_role(ctx.actor, ticket, TICKET_ROLES)
    instance = _instance(ticket)
    if instance.status != ProcessInstance.Status.COMPLETED:
        raise InvalidTransition(_("Only an archived ticket can be reopened."), status=ticket.status)
    status.check(ticket, S.IN_PROGRESS, Action.REOPENED)
    items.lock(instance, revision)
    carried = {k: v for k, v in instance.data.items() if k != "action"}
    round_no = int(carried.get("round", 1)) + 1
    priority = status.raised(ticket.priority or "normal")
    # The customer came back unsatisfied: a repeat complaint, which the processes send to T2.
    repeats = max(ticket.repeat_count, 1)
    data = {
        **carried,
        "round": round_no,
        "reopened": True,
        "tier": "T2",
        "priority": priority,
        "repeat_count": float(repeats),
    }
    run = engine.start(items.spec_of(instance.version), data)
    instance.state = {"engine": {}, "earlier_path": instance.path}
    instance.status, instance.ended_at = ProcessInstance.Status.RUNNING, None
    before = snapshot(ticket)
    ticket.tier, ticket.priority = "T2", priority
    process = instance.version.process.code
    items.start_clocks(ctx, ticket, run.ready(), process)
    ready, _new = items.sync(ctx, instance, ticket, run)
    items.save_run(ctx, instance, run)
    step = items.ticket_step(ready, run.done())
    status.record(
        ctx,
        ticket,
        Action.REOPENED,
        reason,
        data={"round": round_no},
        before=before,
        tier="T2",
        priority=priority,
        repeat_count=repeats,
        closed_at=None,
        due_at=items.ticket_due(ticket),
        **step,
    )
    return instance
