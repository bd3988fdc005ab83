from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import NotFound
from firstcall.core.inputs import MAX_ID, MAX_OFFSET
from firstcall.core.models import ObjectChange
from firstcall.core.problem import DETAIL_ERRORS, READ_ERRORS, WRITE_ERRORS, with_problems
from firstcall.core.scope import require_permission
from firstcall.orgs import queries, services
from firstcall.orgs.models import OrgUnit

router = Router()

UNITS_MAX_LIMIT = 1000  # a whole province's tree in one page
UnitId = Annotated[int, Path(ge=1, le=MAX_ID)]


class UnitOut(Schema):
    id: int
    code: str
    name: str
    level: str
    kind: str
    parent_id: int | None
    depth: int
    is_active: bool


class UnitIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    code: str = Field(..., min_length=1, max_length=40, pattern=services.CODE_PATTERN)
    level: OrgUnit.Level
    kind: OrgUnit.Kind = OrgUnit.Kind.COMPANY
    parent_id: int = Field(..., ge=1, le=MAX_ID)


class UnitPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    kind: OrgUnit.Kind | None = None


def _ctx(request: HttpRequest) -> ChangeContext:
    return ChangeContext.from_request(request, source=ObjectChange.Source.API)


@router.get("/units", response=with_problems({200: list[UnitOut]}, READ_ERRORS))
def list_units(
    request: HttpRequest,
    level: OrgUnit.Level | None = None,
    kind: OrgUnit.Kind | None = None,
    limit: int = Query(200, ge=1, le=UNITS_MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[OrgUnit]:
    principal = request.auth  # type: ignore[attr-defined]
    require_permission(principal, "orgs.view_orgunit")
    units = queries.visible_units(principal)
    if level:
        units = units.filter(level=level)
    if kind:
        units = units.filter(kind=kind)
    return list(units[offset : offset + limit])


@router.get("/units/{unit_id}", response=with_problems({200: UnitOut}, DETAIL_ERRORS))
def get_unit(request: HttpRequest, unit_id: UnitId) -> OrgUnit:
    principal = request.auth  # type: ignore[attr-defined]
    require_permission(principal, "orgs.view_orgunit")
    return queries.get_unit(principal, unit_id)


@router.post("/units", response=with_problems({201: UnitOut}, WRITE_ERRORS))
def create_unit(request: HttpRequest, payload: UnitIn) -> Status[OrgUnit]:
    principal = request.auth  # type: ignore[attr-defined]
    require_permission(principal, "orgs.add_orgunit")
    try:
        parent = queries.get_unit(principal, payload.parent_id, "add")
    except NotFound as exc:
        raise NotFound(code="parent_not_found", errors={"parent_id": [str(exc.detail)]}) from exc
    unit = services.create_unit(
        _ctx(request),
        name=payload.name,
        code=payload.code,
        level=payload.level,
        kind=payload.kind,
        parent=parent,
    )
    return Status(201, unit)


@router.patch("/units/{unit_id}", response=with_problems({200: UnitOut}, DETAIL_ERRORS))
def update_unit(request: HttpRequest, unit_id: UnitId, payload: UnitPatch) -> OrgUnit:
    principal = request.auth  # type: ignore[attr-defined]
    require_permission(principal, "orgs.change_orgunit")
    unit = queries.get_unit(principal, unit_id, "change")
    return services.update_unit(_ctx(request), unit, name=payload.name, kind=payload.kind)
