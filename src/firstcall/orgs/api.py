from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import NotFound
from firstcall.core.models import ObjectChange
from firstcall.core.scope import require_permission
from firstcall.orgs import queries, services
from firstcall.orgs.models import OrgUnit

router = Router()


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
    code: str = Field(..., min_length=1, max_length=40)
    level: OrgUnit.Level
    kind: OrgUnit.Kind = OrgUnit.Kind.COMPANY
    parent_id: int


class UnitPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    kind: OrgUnit.Kind | None = None


def _ctx(request: HttpRequest) -> ChangeContext:
    return ChangeContext.from_request(request, source=ObjectChange.Source.API)


@router.get("/units", response=list[UnitOut])
def list_units(
    request: HttpRequest,
    level: OrgUnit.Level | None = None,
    kind: OrgUnit.Kind | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[OrgUnit]:
    principal = request.auth  # type: ignore[attr-defined]
    require_permission(principal, "orgs.view_orgunit")
    units = queries.visible_units(principal)
    if level:
        units = units.filter(level=level)
    if kind:
        units = units.filter(kind=kind)
    limit = max(1, min(limit, 1000))
    return list(units[offset : offset + limit])


@router.get("/units/{unit_id}", response=UnitOut)
def get_unit(request: HttpRequest, unit_id: int) -> OrgUnit:
    principal = request.auth  # type: ignore[attr-defined]
    require_permission(principal, "orgs.view_orgunit")
    return queries.get_unit(principal, unit_id)


@router.post("/units", response={201: UnitOut})
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


@router.patch("/units/{unit_id}", response=UnitOut)
def update_unit(request: HttpRequest, unit_id: int, payload: UnitPatch) -> OrgUnit:
    principal = request.auth  # type: ignore[attr-defined]
    require_permission(principal, "orgs.change_orgunit")
    unit = queries.get_unit(principal, unit_id, "change")
    return services.update_unit(_ctx(request), unit, name=payload.name, kind=payload.kind)
