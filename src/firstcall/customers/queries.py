"""Reads for the unified view that touch FirstCall's own data: whose customer this is."""

from typing import Any

from firstcall.core.errors import Forbidden
from firstcall.core.scope import has_permission_at
from firstcall.customers.models import Repair
from firstcall.orgs.models import OrgUnit
from firstcall.tickets.models import Ticket

USE_WORKBENCH = "accounts.use_agent_workbench"


def unit_for_customer(customer: dict[str, Any]) -> OrgUnit | None:
    """The org unit that serves the customer: the city company named by CRM's region, else the
    province company."""
    region = customer.get("region") or {}
    codes = [c for c in (region.get("city_code"), region.get("province_code")) if c]
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes, is_active=True)}
    return next((units[c] for c in codes if c in units), None)


def require_customer_access(principal: Any, customer: dict[str, Any]) -> OrgUnit:
    """The customer's unit, when the principal may work on that unit's customers."""
    unit = unit_for_customer(customer)
    if unit is None or not has_permission_at(principal, USE_WORKBENCH, unit.path):
        raise Forbidden(code="customer_out_of_scope", permission=USE_WORKBENCH)
    return unit


def recent_repairs(principal: Any, number: str, limit: int = 10) -> list[Repair]:
    return list(Repair.objects.restrict(principal, USE_WORKBENCH).filter(number=number)[:limit])


def call_unit(principal: Any, ticket_pk: int, number: str) -> OrgUnit | None:
    """The unit of a call the principal works on (its ticket, for this number, in their workbench
    scope): the call already says whose customer this is, so no CRM lookup decides it."""
    ticket = (
        Ticket.objects.restrict(principal, USE_WORKBENCH)
        .select_related("unit")
        .filter(pk=ticket_pk, service_number=number)
        .first()
    )
    return ticket.unit if ticket is not None else None
