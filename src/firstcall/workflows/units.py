"""Where a work item goes: a task's `unit` rule resolved against the ticket, and a converted
call's receiving group (free text such as 网优（走BO-NETQ）) turned into a unit kind.

Rules (the BPMN `unit` property):
- `ticket`: the ticket's own company, at the department that takes the task's flow role — a
  dispatcher's task at the operations interface, a reviewer's at the complaint centre (up the
  chain to the first company that has one: a city's quality check is the province's) — or the
  ticket's unit itself for any other role. A converted call's ticket belongs to the agent's
  desk, where no dispatcher sits;
- `kind:<OrgUnit.Kind>@city|province|hq`: the department of that kind in the ticket's city,
  province or headquarters (a ticket raised at a province has no city: its province is used);
- `var:<name>`: a unit id from the process data, or a multi-instance task's loop item. A
  company chosen there (a province, a city) stands for its operations interface, the department
  that takes work sent to the company.
"""

from typing import Any

from django.utils.translation import gettext as _

from firstcall.core.errors import ValidationFailed
from firstcall.orgs.models import PATH_STEP, OrgUnit

Kind = OrgUnit.Kind
Level = OrgUnit.Level
LEVELS = {"city": Level.CITY, "province": Level.PROVINCE, "hq": Level.HEADQUARTERS}
# Receiving-group words of the flows' end steps and the unit kind that takes them, first match
# wins (网维/网络规划 goes to 网维; 网优/规划 to 网优; anything unnamed to the interface person).
GROUP_KINDS: list[tuple[str, str]] = [
    ("网优", Kind.NETWORK_OPTIMISATION),
    ("网维", Kind.NETWORK_MAINTENANCE),
    ("装维", Kind.FIELD_MAINTENANCE),
    ("计费", Kind.BILLING),
    ("OCS", Kind.BILLING),
    ("投诉", Kind.COMPLAINT_CENTRE),
]


def group_kind(receiving_group: str) -> str:
    """The unit kind a receiving group's text names; the operations interface otherwise (开通/IT
    支撑, 积分运营, 渠道管理 … are sorted by the city's interface person)."""
    for word, kind in GROUP_KINDS:
        if word in receiving_group:
            return kind
    return Kind.OPERATIONS_INTERFACE


def group_level(receiving_group: str) -> str:
    """The level a receiving group names: a provincial group (省投诉处理中心) works at the
    province, any other in the caller's city."""
    return Level.PROVINCE if receiving_group.startswith("省") else Level.CITY


def ancestors(unit: OrgUnit) -> list[OrgUnit]:
    """The unit and the units above it, nearest first."""
    ids = [int(unit.path[i : i + PATH_STEP - 1]) for i in range(0, len(unit.path), PATH_STEP)]
    found = {u.pk: u for u in OrgUnit.objects.filter(pk__in=ids)}
    return [found[pk] for pk in reversed(ids) if pk in found]


def company_of(unit: OrgUnit, level: str) -> OrgUnit:
    """The company at `level` above `unit`; the nearest company when there is none at that
    level below it (a province's ticket asked for its city)."""
    chain = ancestors(unit)
    companies = [u for u in chain if u.level != Level.DEPARTMENT]
    for company in companies:
        if company.level == level:
            return company
    order: list[str] = [Level.CITY, Level.PROVINCE, Level.HEADQUARTERS]
    above = [c for c in companies if order.index(c.level) >= order.index(level)]
    return (above or companies or chain)[0]


def department(company: OrgUnit, kind: str) -> OrgUnit:
    """The company's department of this kind (the shallowest, active); the company itself when it
    has none, so the work item still lands where someone above can see it."""
    if company.kind == kind:
        return company
    found = (
        OrgUnit.objects.filter(path__startswith=company.path, kind=kind, is_active=True)
        .exclude(pk=company.pk)
        .order_by("depth", "path")
        .first()
    )
    return found or company


def _unit_by_id(value: Any, rule: str) -> OrgUnit:
    try:
        unit = OrgUnit.objects.get(pk=int(value), is_active=True)
    except (TypeError, ValueError, OrgUnit.DoesNotExist) as exc:
        raise ValidationFailed(
            _("The process names no unit to send this step to (%(rule)s).") % {"rule": rule},
            errors={"targets": [_("Choose units from the list.")]},
        ) from exc
    if unit.level != Level.DEPARTMENT:
        return department(unit, Kind.OPERATIONS_INTERFACE)
    return unit


# The department kind that takes a flow role's work sent to a company.
ROLE_KINDS = {"dispatcher": Kind.OPERATIONS_INTERFACE, "reviewer": Kind.COMPLAINT_CENTRE}


def for_role(ticket_unit: OrgUnit, flow_role: str) -> OrgUnit:
    kind = ROLE_KINDS.get(flow_role)
    if kind is None:
        return ticket_unit
    for company in (u for u in ancestors(ticket_unit) if u.is_company):
        found = department(company, kind)
        if found.pk != company.pk:
            return found
    return ticket_unit


def resolve(
    rule: str, ticket_unit: OrgUnit, data: dict[str, Any], item: Any = None, flow_role: str = ""
) -> OrgUnit:
    """The unit a task's `unit` rule names for this ticket."""
    rule = (rule or "ticket").strip()
    if rule == "ticket":
        return for_role(ticket_unit, flow_role)
    if rule.startswith("kind:"):
        kind, _sep, level = rule[len("kind:") :].partition("@")
        company = company_of(ticket_unit, LEVELS.get(level or "city", Level.CITY))
        return department(company, kind)
    if rule.startswith("var:"):
        name = rule[len("var:") :]
        value = item if item is not None else data.get(name)
        if isinstance(value, list):
            value = value[0] if value else None
        return _unit_by_id(value, rule)
    return ticket_unit


def transfer_targets(unit: OrgUnit) -> list[OrgUnit]:
    """Units a work item at `unit` may be handed over to: the other active units of the same
    kind within the same province (another city's 网优, the province's 网优 centre)."""
    province = company_of(unit, Level.PROVINCE)
    return list(
        OrgUnit.objects.filter(path__startswith=province.path, kind=unit.kind, is_active=True)
        .exclude(pk=unit.pk)
        .order_by("path")
    )
