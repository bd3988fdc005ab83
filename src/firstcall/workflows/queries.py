"""Reads of the back office: the to-do, done and search lists (keyset pages, never a COUNT), a
ticket's work items and the properties of a process step."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from defusedxml import ElementTree as safe_xml
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import get_language

from firstcall.accounts.models import Membership
from firstcall.core.scope import path_q, paths_for
from firstcall.orgs.models import OrgUnit
from firstcall.tickets.models import Ticket, TicketEvent
from firstcall.workflows.models import ProcessInstance, ProcessVersion, WorkItem

USE_BACK_OFFICE = "accounts.use_back_office"
PAGE = 50
BACK_OFFICE_KINDS = (Ticket.Kind.FAULT, Ticket.Kind.COMPLAINT)
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"


# --- keyset cursors --------------------------------------------------------------------------
# A cursor is the last row's sort key: "<microseconds since the epoch>.<id>" ("-.<id>" for a row
# without a time). Anything else reads as no cursor (the first page), never as an error.


def cursor_of(when: datetime | None, pk: int, tag: str = "") -> str:
    stamp = "-" if when is None else str(int(when.timestamp() * 1_000_000))
    return f"{stamp}.{tag}{pk}" if tag else f"{stamp}.{pk}"


def _micros(value: str) -> datetime | None:
    micros = int(value)
    if not -(10**17) < micros < 10**17:
        raise ValueError(value)
    return datetime.fromtimestamp(micros / 1_000_000, tz=UTC)


def parse_cursor(raw: str | None) -> tuple[datetime | None, int] | None:
    if not raw or len(raw) > 40:
        return None
    stamp, _sep, pk = raw.partition(".")
    try:
        when = None if stamp == "-" else _micros(stamp)
        number = int(pk)
    except (ValueError, OverflowError, OSError):
        return None
    if not 0 < number < 2**62:
        return None
    return when, number


# --- who may act where -----------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """Where a user's flow roles reach: one (flow role, unit path, unit kind, company path,
    deepest unit) per membership; `everywhere` for a superuser.

    A membership *acts* on the items of its own unit's subtree (`workflows.access`, the services'
    rule: a city's 网优 handler works what is sent to 网优, not to 网维 next door). It *sees*, in
    its to-do list, also the items of the departments of the same kind in its company and in the
    companies one level down: the province's 运维接口 (a department of the province) sees its
    cities' 运维接口 items, headquarters' sees the provinces' (not every city's); a city's handler
    never sees another city's."""

    reaches: tuple[tuple[str, str, str, str, int], ...] = ()
    everywhere: bool = False

    def acts(self, item: WorkItem) -> bool:
        if self.everywhere:
            return True
        return any(
            role == item.flow_role and item.unit_path.startswith(path)
            for role, path, _kind, _company, _depth in self.reaches
        )

    def sees(self, item: WorkItem) -> bool:
        if self.acts(item):
            return True
        return any(
            role == item.flow_role
            and kind
            and item.unit_path.startswith(company)
            and item.unit.kind == kind
            and item.unit.depth <= depth
            for role, _path, kind, company, depth in self.reaches
        )

    def q(self) -> Q:
        """The items the reach sees, as a filter on WorkItem."""
        if self.everywhere:
            return Q()
        q = Q(pk__in=[])
        for role, path, kind, company, depth in self.reaches:
            q |= Q(flow_role=role, unit_path__startswith=path)
            if kind:
                q |= Q(
                    flow_role=role,
                    unit_path__startswith=company,
                    unit__kind=kind,
                    unit__depth__lte=depth,
                )
        return q


def reach_of(user: Any) -> Reach:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Reach()
    if user.is_superuser:
        return Reach(everywhere=True)
    cached: Reach | None = getattr(user, "_fc_back_office_reach", None)
    if cached is not None:
        return cached
    app_label, codename = USE_BACK_OFFICE.split(".")
    rows = (
        Membership.objects.filter(
            user=user,
            unit__is_active=True,
            flow_role__isnull=False,
            role__permissions__content_type__app_label=app_label,
            role__permissions__codename=codename,
        )
        .values_list(
            "flow_role__code",
            "unit__path",
            "unit__level",
            "unit__kind",
            "unit__scope_path",
            "unit__depth",
        )
        .distinct()
    )
    reaches = set()
    for role, path, level, kind, company, depth in rows:
        if level == OrgUnit.Level.DEPARTMENT:
            # The company's depth is one above; its child companies' departments one below.
            reaches.add((role, path, kind, company, depth + 1))
        else:
            reaches.add((role, path, "", company, depth))
    reach = Reach(reaches=tuple(sorted(reaches)))
    user._fc_back_office_reach = reach
    return reach


# --- to-do -----------------------------------------------------------------------------------


def _todo_queryset(user: Any) -> QuerySet[WorkItem]:
    reach = reach_of(user)
    mine = Q(assignee=user) if getattr(user, "pk", None) else Q(pk__in=[])
    offered = reach.q() & Q(assignee__isnull=True)
    return WorkItem.objects.filter(Q(state=WorkItem.State.READY) & (mine | offered))


def todo(user: Any, *, after: str | None = None, limit: int = PAGE) -> list[WorkItem]:
    """The user's ready work items (offered to their flow roles within reach, or claimed by
    them), the soonest due first; items without a due time last. Keyset on (due_at, id)."""
    rows = _todo_queryset(user)
    key = parse_cursor(after)
    if key is not None:
        when, pk = key
        if when is None:
            rows = rows.filter(due_at__isnull=True, pk__gt=pk)
        else:
            rows = rows.filter(
                Q(due_at__gt=when) | Q(due_at=when, pk__gt=pk) | Q(due_at__isnull=True)
            )
    ordered = rows.order_by(F("due_at").asc(nulls_last=True), "id")
    ordered = ordered.annotate(
        step_version=F("instance__version_id"), step_version_created=F("instance__version__created")
    )
    return list(ordered.select_related("ticket", "ticket__unit", "unit", "assignee")[:limit])


# --- done ------------------------------------------------------------------------------------


@dataclass
class DoneRow:
    """One line of the done list: a step the user completed or an operation they made."""

    time: datetime
    ticket: Ticket
    step: str
    what: str
    cursor: str
    kind: str = "event"
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _before(rows: QuerySet[Any], time_field: str, key: tuple[datetime | None, int] | None) -> Any:
    if key is None or key[0] is None:
        return rows
    when, pk = key
    return rows.filter(Q(**{f"{time_field}__lt": when}) | Q(**{time_field: when, "pk__lt": pk}))


def done(user: Any, *, after: str | None = None, limit: int = PAGE) -> list[DoneRow]:
    """What the user did, newest first: the work items they completed and the ticket events
    they made (an event that records the completion of an item is shown once, as the item).
    Keyset on (time, id) within each source; the page is the newest `limit` of both."""
    key = parse_cursor(after)
    if not getattr(user, "pk", None):
        return []
    items = WorkItem.objects.filter(done_by=user, done_at__isnull=False)
    events = TicketEvent.objects.filter(user=user)
    # Items first on a tie of time: an item's cursor id is tagged "i", an event's "e".
    items = _before(items, "done_at", key).select_related("ticket")
    events = _before(events, "time", key).select_related("ticket")
    rows: list[DoneRow] = []
    for item in items.order_by("-done_at", "-id")[:limit]:
        rows.append(
            DoneRow(
                time=item.done_at,
                ticket=item.ticket,
                step=item.step_name,
                what=item.action,
                cursor=cursor_of(item.done_at, item.pk),
                kind="item",
            )
        )
    for event in events.order_by("-time", "-id")[:limit]:
        data = event.data if isinstance(event.data, dict) else {}
        if data.get("item") and data.get("action") and event.action != TicketEvent.Action.CLAIMED:
            continue  # the completion of a work item: shown as the item
        rows.append(
            DoneRow(
                time=event.time,
                ticket=event.ticket,
                step=str(data.get("step_name", "")),
                what=event.action,
                cursor=cursor_of(event.time, event.pk),
                note=event.note,
            )
        )
    rows.sort(key=lambda r: r.time, reverse=True)
    return rows[:limit]


# --- search ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The condition search's filters, already cleaned (see views_lists.SearchForm)."""

    number: str = ""
    code: str = ""
    css_serial: str = ""
    opened_from: datetime | None = None
    opened_to: datetime | None = None
    process: str = ""
    status: str = ""
    step: str = ""
    source: str = ""
    complaint_type: str = ""
    unit_path: str = ""
    overdue: bool | None = None
    repeat: bool | None = None
    priority: str = ""


def scoped_tickets(user: Any) -> QuerySet[Ticket]:
    """The fault and complaint tickets in the user's back-office scope: those of a unit in it,
    and those with a work item at a unit in it (a complaint headquarters or another province
    raised and dispatched here)."""
    paths = paths_for(user, USE_BACK_OFFICE)
    rows = Ticket.objects.filter(kind__in=BACK_OFFICE_KINDS)
    if paths is None:
        return rows
    # EXISTS, probed per ticket on the item index by ticket: an IN over every item sent to the
    # scope does not fit in memory at a million tickets and is scanned again for each row.
    sent_here = WorkItem.objects.filter(path_q("unit_path", paths), ticket=OuterRef("pk"))
    return rows.filter(path_q("unit__path", paths) | Exists(sent_here))


def _filtered(user: Any, f: Filters) -> QuerySet[Ticket]:
    rows = scoped_tickets(user)
    exact = {
        "service_number": f.number,
        "code": f.code,
        "css_serial": f.css_serial,
        "status": f.status,
        "source": f.source,
        "complaint_type": f.complaint_type,
        "priority": f.priority,
        "process_instance__version__process__code": f.process,
    }
    rows = rows.filter(**{name: value for name, value in exact.items() if value})
    if f.step:
        rows = rows.filter(current_step__icontains=f.step)
    if f.opened_from:
        rows = rows.filter(opened_at__gte=f.opened_from)
    if f.opened_to:
        rows = rows.filter(opened_at__lt=f.opened_to)
    if f.unit_path:
        rows = rows.filter(unit__path__startswith=f.unit_path)
    if f.overdue is not None:
        rows = rows.filter(overdue=f.overdue)
    if f.repeat is True:
        rows = rows.filter(repeat_count__gt=0)
    elif f.repeat is False:
        rows = rows.filter(repeat_count=0)
    return rows


def search(user: Any, filters: Filters, *, after: str | None = None, limit: int = PAGE) -> Any:
    """Tickets matching the filters in the user's scope, newest first (keyset on opened_at, id).
    Returns a queryset sliced to `limit` rows; the export iterates a larger slice of it."""
    rows = _filtered(user, filters)
    key = parse_cursor(after)
    if key is not None and key[0] is not None:
        when, pk = key
        rows = rows.filter(Q(opened_at__lt=when) | Q(opened_at=when, pk__lt=pk))
    ordered = rows.order_by("-opened_at", "-id").select_related(
        "unit", "process_instance__version__process"
    )
    return ordered[:limit]


def units_in_reach(user: Any) -> list[tuple[int, str, str]]:
    """The org units the search may filter on: (id, name, path) within the user's scope."""
    paths = paths_for(user, USE_BACK_OFFICE)
    units = OrgUnit.objects.filter(is_active=True).exclude(level=OrgUnit.Level.DEPARTMENT)
    if paths is not None:
        units = units.filter(path_q("path", paths))
    return list(units.order_by("path").values_list("pk", "name", "path")[:500])


# --- one ticket ------------------------------------------------------------------------------


def ticket_in_scope(user: Any, code: str) -> Ticket | None:
    if not isinstance(code, str) or len(code) > 32:
        return None
    return (
        scoped_tickets(user)
        .select_related("unit", "converted_from", "assignee", "opened_by")
        .filter(code=code)
        .first()
    )


def instance_of(ticket: Ticket) -> ProcessInstance | None:
    return (
        ProcessInstance.objects.select_related("version", "version__process")
        .filter(ticket=ticket)
        .first()
    )


def ticket_items(ticket: Ticket) -> list[WorkItem]:
    """The ticket's ready work items, the soonest due first."""
    rows = WorkItem.objects.filter(ticket=ticket, state=WorkItem.State.READY)
    return list(rows.select_related("unit", "assignee").order_by("due_at", "id"))


def item_for(user: Any, pk: int) -> WorkItem | None:
    """A work item of a ticket in the user's scope (None: not there or not theirs to see)."""
    item = WorkItem.objects.select_related("ticket", "instance", "unit").filter(pk=pk).first()
    if item is None or not scoped_tickets(user).filter(pk=item.ticket_id).exists():
        return None
    return item


@lru_cache(maxsize=64)
def _properties(version_id: int, created: Any) -> dict[str, dict[str, str]]:
    """Each user task's FirstCall properties (and its name), by BPMN element id, read from the
    version's document once per version (a version's document does not change once it runs;
    the creation time in the key tells a version apart from another that got the same id in a
    database made again)."""
    found: dict[str, dict[str, str]] = {}
    bpmn = ProcessVersion.objects.filter(pk=version_id).values_list("bpmn", flat=True).first()
    try:
        root = safe_xml.fromstring((bpmn or "").encode())
    except Exception:  # no document, or one that no longer parses: no properties
        return found
    for task in root.iter(f"{{{BPMN}}}userTask"):
        props = {
            p.get("name", ""): p.get("value", "")
            for p in task.iter(f"{{{SPIFF}}}property")
            if p.get("name")
        }
        props.setdefault("name", task.get("name", ""))
        found[task.get("id", "")] = props
    return found


def step_properties(version: ProcessVersion, spec: str) -> dict[str, str]:
    return _properties(version.pk, version.created).get(spec, {})


def _item_properties(item: WorkItem) -> dict[str, str]:
    """The properties of the item's task; from the to-do's annotations when it has them."""
    version_id = getattr(item, "step_version", None)
    if version_id is not None:
        created = getattr(item, "step_version_created", None)
        return _properties(version_id, created).get(item.task_spec, {})
    return step_properties(item.instance.version, item.task_spec)


def step_label(item: WorkItem) -> str:
    """The step's name in the interface language: the BPMN name is the Chinese one, `name_en`
    the English one."""
    language = get_language() or ""
    if language.startswith("en"):
        return _item_properties(item).get("name_en", "") or item.step_name
    return item.step_name


DEFERRAL_STEP = "deferral"  # the supervisor's decision on a deferral (not a BPMN task)


def allowed_actions(user: Any, item: WorkItem) -> list[str]:
    """The actions the user may complete the item with: none when it is not ready, claimed by
    someone else, or not in the user's reach to act."""
    if not may_work(user, item):
        return []
    if item.task_spec == DEFERRAL_STEP:
        return ["approve", "refuse"]
    props = _item_properties(item)
    return [a.strip() for a in props.get("actions", "").split(",") if a.strip()]


def may_work(user: Any, item: WorkItem) -> bool:
    """Ready, and the user's: claimed by them, or unclaimed and in their reach to act."""
    if item.state != WorkItem.State.READY:
        return False
    if item.assignee_id is not None:
        return bool(item.assignee_id == getattr(user, "pk", None))
    return reach_of(user).acts(item)


def may_claim(user: Any, item: WorkItem) -> bool:
    return (
        item.state == WorkItem.State.READY
        and item.assignee_id is None
        and reach_of(user).acts(item)
    )
