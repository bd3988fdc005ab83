"""Back-office operations (docs/backoffice.md, "Operations — what each does"): publishing and
seeding the processes, starting one on a ticket (from a converted call too), claiming a work item
and acting on it. Every operation checks who may act, advances the ticket's process inside the
caller's transaction, keeps the work items in step, moves the ticket's status through the one
transition table, writes its ticket event and audit rows, moves the SLA clocks and emits its
outbox events. The ticket-wide operations (chase, deferral, cancel, reopen …) are in
`workflows.operations` and exported from here."""

from typing import Any

from django.utils.translation import gettext as _

from firstcall.core import clock
from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.errors import Conflict, NotFound, ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.orgs.models import OrgUnit
from firstcall.sla import services as sla
from firstcall.taxonomy.queries import get_phenomenon, sibling_codes
from firstcall.tickets.models import Ticket, TicketEvent
from firstcall.tickets.queries import repeat_count
from firstcall.workflows import access, engine, forms, items, status, units
from firstcall.workflows.definitions import publish_version, published_version, seed_processes
from firstcall.workflows.models import ProcessInstance, WorkItem
from firstcall.workflows.operations import (
    cancel,
    chase,
    decide_deferral,
    redispatch,
    reopen,
    request_deferral,
    stage_notice,
    stage_reply,
    transfer,
)

__all__ = [
    "act",
    "cancel",
    "chase",
    "claim",
    "decide_deferral",
    "publish_version",
    "redispatch",
    "reopen",
    "request_deferral",
    "seed_processes",
    "stage_notice",
    "stage_reply",
    "start",
    "start_for_call",
    "transfer",
]

TICKET_FIELDS = ("span", "source", "css_serial", "complaint_type", "escalated", "repeat_count")
Action = TicketEvent.Action


# --- starting ----------------------------------------------------------------------------------


def _process_data(ticket: Ticket, data: dict[str, Any]) -> dict[str, Any]:
    """What the gateways read of the ticket, under what the caller passed."""
    return {
        "kind": ticket.kind,
        "span": ticket.span or Ticket.Span.CITY,
        "priority": ticket.priority or "normal",
        "repeat_count": float(ticket.repeat_count),
        "escalated": bool(ticket.escalated),
        "tier": ticket.tier or "T1",
        **data,
    }


def _take_ticket_fields(ticket: Ticket, data: dict[str, Any]) -> None:
    """Ticket fields a caller may pass with the start (the CSS's serial number, the span and
    source of a complaint raised elsewhere, the 越级 flag): set on the ticket, not kept in the
    process data twice."""
    errors = {}
    for name in TICKET_FIELDS:
        if name not in data:
            continue
        value = data.pop(name)
        if name == "escalated":
            value = bool(value)
        elif name == "repeat_count":
            value = min(max(int(value), 0), 32767)
        elif name == "span" and value not in Ticket.Span.values:
            errors["span"] = [_("Choose one of the options.")]
            continue
        else:
            limit = getattr(Ticket._meta.get_field(name), "max_length", 0) or 0
            value = str(value)[:limit]
        setattr(ticket, name, value)
    if errors:
        raise ValidationFailed(errors=errors)


def _tiering(ctx: ChangeContext, ticket: Ticket) -> dict[str, Any]:
    """T1 or T2 (sla.md): a repeat or 越级 complaint goes to the second tier, one priority up."""
    if ticket.kind == Ticket.Kind.COMPLAINT and (ticket.repeat_count >= 1 or ticket.escalated):
        if ticket.tier == "T2":
            return {}
        # One level above normal; a priority the routing raised already is not raised twice.
        base = ticket.priority if ticket.priority in status.PRIORITIES else "normal"
        floor = status.raised("normal")
        higher = max(base, floor, key=status.PRIORITIES.index)
        return {"tier": "T2", "priority": higher}
    return {} if ticket.tier else {"tier": "T1"}


def start(
    ctx: ChangeContext, ticket: Ticket, process_code: str, *, data: dict[str, Any] | None = None
) -> ProcessInstance:
    """Start the ticket's process on its published version: work items for its first tasks,
    the ticket's status and step, its SLA clocks (acceptance or handling as the first task
    says; the 15-day regulatory clock for a complaint) and its history. A ticket runs one
    process: a second start is a conflict."""
    version = published_version(process_code)
    if version is None:
        raise NotFound(_("No published version of the process %(code)s.") % {"code": process_code})
    ticket = status.locked(ticket)
    if ticket.kind != version.process.ticket_kind:
        raise ValidationFailed(
            errors={"process": [_("This process does not work this kind of ticket.")]}
        )
    if ProcessInstance.objects.filter(ticket=ticket).exists():
        raise Conflict(
            code="already_started", **items.current_state(ticket, ticket.process_instance)
        )
    before = snapshot(ticket)
    data = dict(data or {})
    _take_ticket_fields(ticket, data)
    tiering = _tiering(ctx, ticket)
    for name, value in tiering.items():
        setattr(ticket, name, value)
    fields = {name: getattr(ticket, name) for name in TICKET_FIELDS}
    try:
        run = engine.start(items.spec_of(version), _process_data(ticket, data))
    except engine.RunFailed as exc:
        raise ValidationFailed(str(exc), errors={"process": [str(exc)]}) from exc
    instance = ProcessInstance.objects.create(
        ticket=ticket, version=version, state={}, started_at=clock.now()
    )
    ctx.record(instance, ObjectChange.Action.CREATE, after=items.summary(instance))
    ready = run.ready()
    if ticket.kind == Ticket.Kind.COMPLAINT:
        sla.start_clock(ctx, ticket, "regulatory", process=process_code)
    items.start_clocks(ctx, ticket, ready, process_code)
    ready, _new = items.sync(ctx, instance, ticket, run)
    items.save_run(ctx, instance, run)
    step = items.ticket_step(ready, run.done())
    step["due_at"] = items.ticket_due(ticket)
    status.record(
        ctx,
        ticket,
        Action.STARTED,
        version.process.name(),
        data={"process": process_code, "version": version.number},
        before=before,
        **{**fields, **tiering, **step},
    )
    if tiering.get("tier") == "T2":
        status.event(ctx, ticket, Action.ESCALATED, data={"priority": ticket.priority})
    return instance


def _process_for_call(ticket: Ticket) -> str:
    if ticket.kind == Ticket.Kind.FAULT:
        return "BO-FAULT"
    if "BO-NETQ" in ticket.receiving_group or units.group_kind(ticket.receiving_group) == (
        OrgUnit.Kind.NETWORK_OPTIMISATION
    ):
        return "BO-MOBNET"
    return "BO-COMPLAINT"


def start_for_call(ctx: ChangeContext, ticket: Ticket) -> ProcessInstance | None:
    """A call converted into a fault or complaint ticket starts its process: a fault runs
    BO-FAULT; a network-quality complaint (the group names 网优 or BO-NETQ) BO-MOBNET; any other
    complaint BO-COMPLAINT within the city. The receiving group's text names a unit kind in the
    caller's city (`target_unit` in the process data, for the dispatcher's first choice); the
    ticket carries the repeat count over the complaint type within 30 days, and goes to T2 when
    it is a repeat. No published process (a fresh installation): the ticket stays open, as
    before the back office, and None is returned."""
    code = _process_for_call(ticket)
    if published_version(code) is None:
        return None
    ticket = status.locked(ticket)
    kind = units.group_kind(ticket.receiving_group)
    level = units.group_level(ticket.receiving_group)
    target = units.department(units.company_of(ticket.unit, level), kind)
    phenomenon = get_phenomenon(ticket.phenomenon_code)
    before_count = repeat_count(
        ticket.service_number,
        sibling_codes(phenomenon) if phenomenon else [],
        exclude=ticket.pk,
    )
    data = {
        "repeat_count": min(before_count, 32767),
        "complaint_type": phenomenon.complaint_type.code if phenomenon else "",
        "source": ticket.source or Ticket.Source.HOTLINE,
        "target_unit": target.pk,
        "target_kind": kind,
        "target": kind,
        "receiving_group": ticket.receiving_group,
    }
    if ticket.kind == Ticket.Kind.COMPLAINT:
        data["span"] = ticket.span or Ticket.Span.CITY
    return start(ctx, ticket, code, data=data)


# --- claiming and acting -------------------------------------------------------------------------


def claim(ctx: ChangeContext, item: WorkItem) -> WorkItem:
    """Take a ready work item: from now on only the claimant acts on it. Claiming one's own item
    again changes nothing; one claimed by someone else is a conflict (of two people claiming at
    once, one succeeds: the update is conditional)."""
    item = WorkItem.objects.select_related("ticket").get(pk=item.pk)
    access.require_may_act(ctx.actor, item)
    if item.assignee_id is not None:
        return item
    now = clock.now()
    taken = WorkItem.objects.filter(pk=item.pk, state=WorkItem.State.READY, assignee__isnull=True)
    if taken.update(assignee=ctx.actor, claimed_at=now, updated=now) != 1:
        item.refresh_from_db()
        raise Conflict(code="claimed_by_another", item=item.pk, assignee=item.assignee_id)
    before = {"assignee": None}
    item.refresh_from_db()
    ctx.record(item, ObjectChange.Action.UPDATE, before=before)
    status.event(ctx, item.ticket, Action.CLAIMED, item.step_name, {"item": item.pk})
    return item


def _actions(task: engine.TaskInfo) -> list[str]:
    return [a.strip() for a in task.properties.get("actions", "").split(",") if a.strip()]


def _check_targets(values: dict[str, Any]) -> None:
    ids = values.get("targets") or []
    found = set(OrgUnit.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    if set(ids) - found:
        raise ValidationFailed(errors={"targets": [_("Choose units from the list.")]})


def _chosen(values: dict[str, Any]) -> dict[str, Any]:
    """A dispatch's first chosen unit, as the fault process reads it: `target_unit` (where the
    handling goes) and `target` (its kind: network_maintenance, field_maintenance …)."""
    ids = values.get("targets") or []
    unit = OrgUnit.objects.filter(pk=ids[0]).first() if ids else None
    return {"target_unit": unit.pk, "target": unit.kind} if unit else {}


def _note_of(action: str, values: dict[str, Any]) -> str:
    for name in ("reason", "opinion", "reply", "result", "closing_note", "note"):
        if values.get(name):
            return str(values[name])
    return ""


def act(
    ctx: ChangeContext,
    item: WorkItem,
    action: str,
    fields: dict[str, Any],
    *,
    revision: int,
) -> ProcessInstance:
    """Complete the item's task with `action` (one of the task's `actions`) and the answers of
    its form. The answers and the action go into the process data, so the gateways route on
    them: a return goes back to the sender, a reject to the level above, a failed quality check
    back to the handler, as the process draws them. A stale `revision` is a conflict."""
    item = WorkItem.objects.select_related("instance__version__process", "ticket__unit").get(
        pk=item.pk
    )
    if item.task_spec == items.DEFERRAL:
        if action not in ("approve", "refuse"):
            raise ValidationFailed(errors={"action": [_("Approve or refuse the deferral.")]})
        decide_deferral(
            ctx, item.ticket, action == "approve", str(fields.get("note", "")), revision=revision
        )
        return ProcessInstance.objects.get(pk=item.instance_id)
    access.require_may_act(ctx.actor, item)
    instance = item.instance
    if instance.status != ProcessInstance.Status.RUNNING:
        raise Conflict(code="process_ended", **items.current_state(item.ticket, instance))
    if items.pending_deferral(instance) is not None:
        raise Conflict(
            _("A deferral awaits the supervisor's decision."),
            code="deferral_pending",
            **items.current_state(item.ticket, instance),
        )
    run = items.run_of(instance)
    task = next((t for t in run.ready() if t.id == item.task_id), None)
    if task is None:
        raise Conflict(code="item_not_ready", **items.current_state(item.ticket, instance))
    if action not in _actions(task):
        raise ValidationFailed(errors={"action": [_("This step cannot be completed that way.")]})
    ticket = status.locked(item.ticket)
    context = {"action": action, "overdue": "yes" if ticket.overdue else "no"}
    values, errors = forms.clean(
        forms.form_for(task.properties.get("form", ""), action), fields, context=context
    )
    if errors:
        raise ValidationFailed(errors=errors)
    _check_targets(values)
    items.lock(instance, revision)
    existing = set(
        instance.items.filter(state=WorkItem.State.READY).values_list("task_id", flat=True)
    )
    try:
        run.complete(item.task_id, {**values, **_chosen(values), "action": action})
    except engine.TaskNotReady as exc:
        raise Conflict(code="item_not_ready", **items.current_state(ticket, instance)) from exc
    except engine.RunFailed as exc:
        raise ValidationFailed(str(exc), errors={"action": [str(exc)]}) from exc
    items.finish(ctx, item, WorkItem.State.DONE, action)
    _move_clocks(ctx, ticket, task, run, existing, instance.version.process.code)
    ready, _new = items.sync(ctx, instance, ticket, run)
    items.save_run(ctx, instance, run)
    step = items.ticket_step(ready, run.done())
    step["due_at"] = items.ticket_due(ticket)
    if action == "reply" and values.get("reply"):
        step["reply"] = values["reply"]
    status.record(
        ctx,
        ticket,
        status.ACTION_EVENTS.get(action, Action.HANDLED),
        _note_of(action, values),
        data={
            "step": task.spec,
            "step_name": task.name,
            "action": action,
            "item": item.pk,
            "fields": values,
        },
        **step,
    )
    return instance


def _move_clocks(
    ctx: ChangeContext,
    ticket: Ticket,
    task: engine.TaskInfo,
    run: engine.Run,
    existing: set[str],
    process: str,
) -> None:
    """Acceptance stops the acceptance clock and starts handling; a new task starts the clocks
    it runs under (an acceptance again after a return, a tier's stage); the end stops every
    clock."""
    if run.done():
        for kind in ("accept", "handle", "t1", "t2", "regulatory"):
            sla.stop_clock(ctx, ticket, kind)
        return
    if task.properties.get("sla") == "accept":
        sla.stop_clock(ctx, ticket, "accept")
        sla.start_clock(ctx, ticket, "handle", process=process)
    new = [t for t in run.ready() if t.id not in existing and t.id != task.id]
    items.start_clocks(ctx, ticket, new, process)
