"""Demo tickets in flight (`firstcall seed --demo`): for every published process, tickets stopped
at every step it reaches, in several cities and provinces, some started days ago so that their
clocks are overdue, so that each demo role finds work in its to-do list.

Each ticket is converted from a call as an agent would, started through the services and walked
forward by the people who may act on each step (the first member holding the step's flow role
at or above its unit), choosing the forward action and filling the step's form with sample
answers. Idempotent: the demo tickets carry a CSS serial number `DEMO-…`; when one exists,
nothing is made again."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from firstcall.accounts.models import Membership, User
from firstcall.core import clock
from firstcall.core.audit import ChangeContext
from firstcall.core.models import ObjectChange
from firstcall.orgs.models import OrgUnit
from firstcall.tickets import services as tickets
from firstcall.tickets.models import Ticket
from firstcall.workflows import forms, items, services
from firstcall.workflows.models import ProcessInstance, ProcessVersion, WorkItem

MARK = "DEMO-"
BACKWARD = {"return", "reject", "fail", "redispatch"}
MAX_STEPS = 10


@dataclass(frozen=True)
class Place:
    """Demo tickets of one process taken at one unit: stopped after each of `depths` steps
    (every step when empty), started `days_ago`, with the branch answers given (units by code)."""

    process: str
    unit: str
    answers: dict[str, Any]
    span: str = ""
    days_ago: int = 0
    depths: tuple[int, ...] = ()
    defer: bool = False


PLACES = [
    Place("BO-MOBNET", "JS-NJ-CS-D1", {"is_fault": "yes", "is_coverage": "no"}, "city"),
    Place("BO-MOBNET", "JS-NJ-CS-D1", {"is_fault": "no", "is_coverage": "yes"}, "city", 3, (2,)),
    Place(
        "BO-MOBNET", "JS-NJ-CS-D1", {"is_fault": "no", "is_coverage": "yes"}, "city", 0, (2,), True
    ),
    Place(
        "BO-MOBNET", "GD-GZ-CS-D1", {"is_fault": "no", "is_coverage": "no"}, "city", 3, (0, 1, 2)
    ),
    Place("BO-COMPLAINT", "HQ-CS", {"targets": ["JS", "GD"]}, "headquarters", 0, (0, 1, 3, 5, 6)),
    Place("BO-COMPLAINT", "GD-CS", {"targets": ["JS"]}, "cross_province", 4, (0, 1, 2, 6)),
    Place(
        "BO-COMPLAINT", "JS-NJ-CS-D1", {"targets": ["JS-NJ", "JS-SZ"]}, "city", 0, (0, 1, 5, 6, 7)
    ),
    Place("BO-FAULT", "JS-NJ-CS-D1", {"targets": ["JS-NJ-FLD"]}),
    Place("BO-FAULT", "SC-CD-CS-D1", {"targets": ["SC-CD-NMNT"]}, "", 3, (1,)),
]
GROUPS = {
    "BO-MOBNET": "网优（走BO-NETQ）",
    "BO-COMPLAINT": "开通/IT支撑",
    "BO-FAULT": "装维（上门）",
}


def _actor(item: WorkItem) -> User | None:
    """Someone who may act on the item: the nearest member holding its flow role above it."""
    members = (
        Membership.objects.filter(
            flow_role__code=item.flow_role,
            role__permissions__codename="use_back_office",
            unit__is_active=True,
        )
        .select_related("user", "unit")
        .order_by("-unit__depth", "id")
    )
    for membership in members:
        if item.unit_path.startswith(membership.unit.path):
            return membership.user
    return None


def _sample(form: str, answers: dict[str, Any]) -> dict[str, Any]:
    """Sample answers of a field set, the place's own answers first (units by their codes)."""
    now = clock.now()
    values: dict[str, Any] = {}
    for field in forms.FIELDS.get(form, []):
        if field.code in answers:
            value = answers[field.code]
            if field.kind == "units":
                value = list(OrgUnit.objects.filter(code__in=value).values_list("pk", flat=True))
            values[field.code] = value
        elif field.kind == "yes_no":
            values[field.code] = "no"
        elif field.kind == "choice":
            values[field.code] = str(field.choices[0][0])
        elif field.kind == "date":
            values[field.code] = (now + timedelta(days=7)).date().isoformat()
        elif field.kind == "datetime":
            values[field.code] = now.isoformat()
        elif field.kind == "long_text":
            values[field.code] = "演示：已核查处理"
        elif field.kind == "text":
            values[field.code] = "演示"
    return values


def _forward(ticket: Ticket, answers: dict[str, Any]) -> bool:
    """One step forward on the ticket's first ready item; False when none can be taken."""
    instance = ProcessInstance.objects.select_related("version").get(ticket=ticket)
    ready = list(WorkItem.objects.filter(ticket=ticket, state=WorkItem.State.READY).order_by("id"))
    if not ready:
        return False
    item = ready[0]
    actor = _actor(item)
    run = items.run_of(instance)
    task = next((t for t in run.ready() if t.id == item.task_id), None)
    if actor is None or task is None:
        return False
    actions = [a.strip() for a in task.properties.get("actions", "").split(",") if a.strip()]
    action = next((a for a in actions if a not in BACKWARD), actions[0] if actions else "")
    fields = _sample(forms.form_for(task.properties.get("form", ""), action), answers)
    ctx = ChangeContext(actor=actor, source=ObjectChange.Source.CLI, reason="seed --demo")
    services.act(ctx, item, action, fields, revision=instance.revision)
    return True


# The channels the demo's complaints came in through, most of them the hotline.
SOURCES = (
    Ticket.Source.HOTLINE,
    Ticket.Source.HOTLINE,
    Ticket.Source.ONLINE,
    Ticket.Source.APP,
    Ticket.Source.STORE,
)


def _ticket(ctx: ChangeContext, unit: OrgUnit, process: str, n: int) -> Ticket:
    number = f"1390000{n:04d}"
    call = tickets.open_preprocessing(
        ctx, unit=unit, customer_id=f"DEMO{n:05d}", service_number=number
    )
    kind = "fault" if process == "BO-FAULT" else "complaint"
    return tickets.convert(
        ctx,
        call,
        kind=kind,
        receiving_group=GROUPS[process],
        summary="演示工单",
        diagnosis={"path": []},
    )


def seed_demo_tickets(ctx: ChangeContext) -> int:
    """The demo tickets; how many were made (0 when they exist already)."""
    if Ticket.objects.filter(css_serial__startswith=MARK).exists():
        return 0
    made = 0
    published = set(
        ProcessVersion.objects.filter(status=ProcessVersion.Status.PUBLISHED).values_list(
            "process__code", flat=True
        )
    )
    for place in PLACES:
        unit = OrgUnit.objects.filter(code=place.unit).first()
        if place.process not in published or unit is None:
            continue
        for depth in place.depths or range(MAX_STEPS):
            started = clock.now() - timedelta(days=place.days_ago, hours=depth)
            with clock.frozen(started):
                made += 1
                ticket = _ticket(ctx, unit, place.process, made)
                data: dict[str, Any] = {
                    "css_serial": f"{MARK}{made:05d}",
                    "source": SOURCES[made % len(SOURCES)],
                }
                if place.span:
                    data["span"] = place.span
                services.start(ctx, ticket, place.process, data=data)
                reached = all(_forward(ticket, place.answers) for _k in range(depth))
                if reached and place.defer:
                    _defer(ticket)
            if not reached or _done(ticket):
                break
    return made


def _defer(ticket: Ticket) -> None:
    item = WorkItem.objects.filter(ticket=ticket, state=WorkItem.State.READY).first()
    actor = _actor(item) if item else None
    if actor is not None:
        ctx = ChangeContext(actor=actor, source=ObjectChange.Source.CLI, reason="seed --demo")
        until = clock.now() + timedelta(days=3)
        services.request_deferral(ctx, ticket, until, "演示：等待基站扩容")


def _done(ticket: Ticket) -> bool:
    return not WorkItem.objects.filter(ticket=ticket, state=WorkItem.State.READY).exists()
