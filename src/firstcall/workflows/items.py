"""The machinery every operation shares: a ticket's run taken back from its instance and saved
again, the optimistic lock on the instance's revision, and the work items kept in step with the
engine's ready tasks (their unit, flow role, priority and due time) and the SLA clocks they run
under."""

import hashlib
import uuid
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from firstcall.core import clock
from firstcall.core.audit import ChangeContext
from firstcall.core.errors import Conflict
from firstcall.core.models import ObjectChange
from firstcall.sla import services as sla
from firstcall.sla.models import Clock
from firstcall.tickets.models import Ticket
from firstcall.workflows import engine, units
from firstcall.workflows.models import ProcessInstance, ProcessVersion, WorkItem
from firstcall.workflows.status import TASK_STATUS

DEFERRAL = "deferral"  # the task_spec of a supervisor's deferral approval (not in the BPMN)
Ready = WorkItem.State.READY


def spec_of(version: ProcessVersion) -> engine.Spec:
    digest = hashlib.sha256(version.bpmn.encode()).hexdigest()[:16]
    return engine.spec_for(version.bpmn, f"{version.pk}:{digest}")


def run_of(instance: ProcessInstance) -> engine.Run:
    return engine.restore(spec_of(instance.version), instance.state.get("engine", {}))


def summary(instance: ProcessInstance) -> dict[str, Any]:
    """What an instance's audit row keeps (the engine state is left out: it is large, and the
    ticket's events and the work items tell the story)."""
    return {
        "revision": instance.revision,
        "status": instance.status,
        "path": instance.path,
        "version": instance.version_id,
    }


def current_state(ticket: Ticket, instance: ProcessInstance | None) -> dict[str, Any]:
    """The current state a conflict answers with."""
    return {
        "ticket": ticket.pk,
        "status": ticket.status,
        "step": ticket.current_step,
        "revision": instance.revision if instance else None,
    }


def lock(instance: ProcessInstance, revision: int | None) -> None:
    """Bump the revision: with `revision`, only if it is still the one the actor was shown (0
    rows: someone acted first, a conflict with the current state); without, unconditionally (an
    operation that does not depend on what was shown, serialised all the same)."""
    rows = ProcessInstance.objects.filter(pk=instance.pk)
    if revision is not None:
        rows = rows.filter(revision=revision)
    now = clock.now()
    if rows.update(revision=F("revision") + 1, updated=now) != 1:
        fresh = ProcessInstance.objects.select_related("ticket").get(pk=instance.pk)
        raise Conflict(
            _("Someone else acted on this ticket first: reload it to see its current state."),
            code="stale_revision",
            **current_state(fresh.ticket, fresh),
        )
    if revision is not None:  # the row holds what was asked for plus one: no need to read it
        instance.revision, instance.updated = revision + 1, now
    else:
        instance.refresh_from_db(fields=["revision", "updated"])


def save_run(ctx: ChangeContext, instance: ProcessInstance, run: engine.Run) -> None:
    before = summary(instance)
    earlier = instance.state.get("earlier_path", [])
    instance.state = {"engine": run.serialize(), "earlier_path": earlier}
    instance.data = run.data
    instance.path = [*earlier, *run.completed()]
    if run.done() and instance.status == ProcessInstance.Status.RUNNING:
        instance.status = ProcessInstance.Status.COMPLETED
        instance.ended_at = clock.now()
    instance.save()
    ctx.record(instance, ObjectChange.Action.UPDATE, before=before, after=summary(instance))


def live_clock(ticket: Ticket, kind: str) -> Clock | None:
    return Clock.objects.filter(ticket=ticket, kind=kind, state__in=Clock.LIVE).first()


def _due(ticket: Ticket, task: engine.TaskInfo) -> Any:
    found = live_clock(ticket, task.properties.get("sla") or "handle")
    return found.deadline if found else None


def create_item(
    ctx: ChangeContext,
    instance: ProcessInstance,
    ticket: Ticket,
    task: engine.TaskInfo,
    data: dict[str, Any],
) -> WorkItem:
    rule = task.properties.get("unit", "ticket")
    flow_role = task.properties.get("flow_role", "handler")
    unit = units.resolve(rule, ticket.unit, data, task.item, flow_role)
    item = WorkItem.objects.create(
        instance=instance,
        ticket=ticket,
        task_id=task.id,
        task_spec=task.spec,
        step_name=task.name[:200],
        unit=unit,
        unit_path=unit.path,
        flow_role=flow_role,
        priority=ticket.priority,
        due_at=_due(ticket, task),
    )
    ctx.record(item, ObjectChange.Action.CREATE)
    return item


def supervisor_item(
    ctx: ChangeContext, instance: ProcessInstance, ticket: Ticket, of: WorkItem
) -> WorkItem:
    """The supervisor's approval of a deferral: a work item of no BPMN task, at the company of
    the item whose deferral is asked (the city's or the province's supervisor decides)."""
    company = units.ancestors(of.unit)
    unit = next((u for u in company if u.is_company), of.unit)
    item = WorkItem.objects.create(
        instance=instance,
        ticket=ticket,
        task_id=str(uuid.uuid4()),
        task_spec=DEFERRAL,
        step_name=_("Deferral approval"),
        unit=unit,
        unit_path=unit.path,
        flow_role="supervisor",
        priority=ticket.priority,
        due_at=of.due_at,
    )
    ctx.record(item, ObjectChange.Action.CREATE)
    return item


def finish(ctx: ChangeContext, item: WorkItem, state: str, action: str = "") -> None:
    before = {"state": item.state, "assignee": item.assignee_id}
    item.state = state
    item.action = action[:40]
    item.done_at = clock.now()
    if state == WorkItem.State.DONE and getattr(ctx.actor, "pk", None):
        item.done_by = ctx.actor
    item.save(update_fields=["state", "action", "done_at", "done_by"])
    ctx.record(item, ObjectChange.Action.UPDATE, before=before)


def sync(
    ctx: ChangeContext, instance: ProcessInstance, ticket: Ticket, run: engine.Run
) -> tuple[list[engine.TaskInfo], list[WorkItem]]:
    """Work items for the ready tasks that have none, cancelled for tasks no longer ready; the
    ready tasks and the new items."""
    ready = run.ready()
    ids = {task.id for task in ready}
    existing = {
        item.task_id: item
        for item in instance.items.filter(state=Ready).exclude(task_spec=DEFERRAL)
    }
    for task_id, item in existing.items():
        if task_id not in ids:
            finish(ctx, item, WorkItem.State.CANCELLED)
    data = run.data
    new = [
        create_item(ctx, instance, ticket, task, data) for task in ready if task.id not in existing
    ]
    return ready, new


STATUS_ORDER = [Ticket.Status.ACCEPTING, Ticket.Status.IN_PROGRESS, Ticket.Status.REVIEWING]


def ticket_step(ready: list[engine.TaskInfo], done: bool) -> dict[str, Any]:
    """The ticket's status and current step while these tasks are ready."""
    if done:
        return {"status": Ticket.Status.ARCHIVED, "current_step": "", "closed_at": clock.now()}
    names = list(dict.fromkeys(task.name for task in ready))
    # With several tasks ready (parallel branches), the ticket is as far as its least advanced
    # branch: in progress while any branch is still being handled, whatever order the engine
    # lists them in.
    statuses = [
        TASK_STATUS[t.properties["status"]]
        for t in ready
        if t.properties.get("status") in TASK_STATUS
    ]
    status = min(statuses, key=STATUS_ORDER.index, default=Ticket.Status.IN_PROGRESS)
    return {"status": status, "current_step": "、".join(names)[:200]}


def ticket_due(ticket: Ticket) -> Any:
    dues = [
        due
        for due in WorkItem.objects.filter(ticket=ticket, state=Ready).values_list(
            "due_at", flat=True
        )
        if due is not None
    ]
    return min(dues) if dues else None


def pending_deferral(instance: ProcessInstance) -> WorkItem | None:
    return instance.items.filter(state=Ready, task_spec=DEFERRAL).first()


def start_clocks(
    ctx: ChangeContext, ticket: Ticket, tasks: list[engine.TaskInfo], process: str
) -> None:
    """The clocks newly ready tasks run under: their `sla` (handling when they name none) and,
    for a task of a tier (`tier` T1 or T2), the stage clock; the second tier stops the first's.
    Starting a clock that runs already changes nothing."""
    kinds = dict.fromkeys(task.properties.get("sla") or "handle" for task in tasks)
    tiers = {task.properties.get("tier", "").lower() for task in tasks} & {"t1", "t2"}
    if "t2" in tiers:
        sla.stop_clock(ctx, ticket, "t1")
    for kind in [*kinds, *sorted(tiers)]:
        sla.start_clock(ctx, ticket, kind, process=process)
