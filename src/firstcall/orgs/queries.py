from typing import Any

from django.db.models import QuerySet

from firstcall.core.errors import NotFound
from firstcall.orgs.models import PATH_STEP, OrgUnit


def visible_units(principal: Any, action: str = "view") -> QuerySet[OrgUnit]:
    return OrgUnit.objects.restrict(principal, action).select_related("parent")


def get_unit(principal: Any, pk: int, action: str = "view") -> OrgUnit:
    """The unit if the principal may act on it; otherwise NotFound, so nothing leaks."""
    unit = visible_units(principal, action).filter(pk=pk).first()
    if unit is None:
        raise NotFound(code="org_unit_not_found")
    return unit


def subtree(unit: OrgUnit, *, include_self: bool = True) -> QuerySet[OrgUnit]:
    qs = OrgUnit.objects.filter(path__startswith=unit.path)
    return qs if include_self else qs.exclude(pk=unit.pk)


def ancestors(unit: OrgUnit) -> QuerySet[OrgUnit]:
    prefixes = [unit.path[:end] for end in range(PATH_STEP, len(unit.path), PATH_STEP)]
    return OrgUnit.objects.filter(path__in=prefixes).order_by("depth")


def unit_by_code(code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise NotFound(code="org_unit_not_found", unit_code=code)
    return unit
