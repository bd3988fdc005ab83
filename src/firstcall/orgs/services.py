"""Org tree writes. Every function records an audit row through the ChangeContext it is given.
None commits: the caller (a request, a command, a job) holds the transaction."""

import re

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.errors import Conflict, ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.orgs.models import PATH_STEP, OrgUnit

# A unit's code is an identifier other systems quote: letters, digits, "-" and "_".
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
_CODE = re.compile(CODE_PATTERN)

# Which level may sit under which. Departments and desks may nest under any unit.
ALLOWED_PARENT_LEVELS: dict[str, set[str | None]] = {
    OrgUnit.Level.HEADQUARTERS: {None},
    OrgUnit.Level.PROVINCE: {OrgUnit.Level.HEADQUARTERS},
    OrgUnit.Level.CITY: {OrgUnit.Level.PROVINCE},
    OrgUnit.Level.DEPARTMENT: {
        OrgUnit.Level.HEADQUARTERS,
        OrgUnit.Level.PROVINCE,
        OrgUnit.Level.CITY,
        OrgUnit.Level.DEPARTMENT,
    },
}


def _segment(pk: int) -> str:
    return f"{pk:0{PATH_STEP - 1}d}."


def _scope_path(unit: OrgUnit, parent: OrgUnit | None) -> str:
    if unit.level != OrgUnit.Level.DEPARTMENT or parent is None:
        return unit.path
    return parent.scope_path


def _check_placement(level: str, parent: OrgUnit | None) -> None:
    if level not in ALLOWED_PARENT_LEVELS:
        raise ValidationFailed(errors={"level": [_("Unknown level.")]})
    parent_level = parent.level if parent else None
    if parent_level not in ALLOWED_PARENT_LEVELS[level]:
        raise ValidationFailed(
            _("A unit of this level cannot be placed there."),
            errors={"parent": [_("A unit of this level cannot be placed there.")]},
        )
    if parent is not None and not parent.is_active:
        raise ValidationFailed(errors={"parent": [_("The parent unit is inactive.")]})


def create_unit(
    ctx: ChangeContext,
    *,
    name: str,
    code: str,
    level: str,
    parent: OrgUnit | None,
    kind: str = OrgUnit.Kind.COMPANY,
) -> OrgUnit:
    """A new unit under `parent`. A code already taken is a Conflict (409), whether it was taken
    long ago or by a request racing this one."""
    name, code = name.strip(), code.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("This field is required.")]
    if not code:
        errors["code"] = [_("This field is required.")]
    elif not _CODE.match(code) or len(code) > 40:
        errors["code"] = [_("Use up to 40 letters, digits, hyphens and underscores.")]
    if kind not in OrgUnit.Kind.values:
        errors["kind"] = [_("Unknown kind.")]
    if errors:
        raise ValidationFailed(errors=errors)
    code = code.upper()
    _check_placement(level, parent)
    if code_in_use(code):
        raise _code_taken()
    unit = OrgUnit(
        name=name,
        code=code,
        level=level,
        kind=kind,
        parent=parent,
        depth=(parent.depth + 1) if parent else 0,
        # Unique placeholder until the primary key is known.
        path=f"~{code}",
    )
    try:
        # A savepoint inside the caller's transaction: a racing insert of the same code fails
        # here alone, and the request answers 409 instead of losing its whole transaction.
        with transaction.atomic():
            unit.save()
    except IntegrityError as exc:
        raise _code_taken() from exc
    unit.path = (parent.path if parent else "") + _segment(unit.pk)
    unit.scope_path = _scope_path(unit, parent)
    unit.save(update_fields=["path", "scope_path"])
    ctx.record(unit, ObjectChange.Action.CREATE)
    return unit


def code_in_use(code: str) -> bool:
    return OrgUnit.objects.filter(code=code).exists()


def _code_taken() -> Conflict:
    message = _("An org unit with this code already exists.")
    return Conflict(message, code="org_unit_code_taken", errors={"code": [message]})


def update_unit(
    ctx: ChangeContext, unit: OrgUnit, *, name: str | None = None, kind: str | None = None
) -> OrgUnit:
    before = snapshot(unit)
    if name is not None:
        if not name.strip():
            raise ValidationFailed(errors={"name": [_("This field is required.")]})
        unit.name = name.strip()
    if kind is not None:
        if kind not in OrgUnit.Kind.values:
            raise ValidationFailed(errors={"kind": [_("Unknown kind.")]})
        unit.kind = kind
    unit.save()
    ctx.record(unit, ObjectChange.Action.UPDATE, before=before)
    return unit


def move_unit(ctx: ChangeContext, unit: OrgUnit, *, parent: OrgUnit) -> OrgUnit:
    """Re-hang a unit and its whole subtree under another parent."""
    if parent.path.startswith(unit.path):
        raise ValidationFailed(errors={"parent": [_("A unit cannot be moved under itself.")]})
    _check_placement(unit.level, parent)
    before = snapshot(unit)
    old_path, new_path = unit.path, parent.path + _segment(unit.pk)
    depth_shift = parent.depth + 1 - unit.depth
    OrgUnit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_shift,
    )
    OrgUnit.objects.filter(pk=unit.pk).update(parent=parent)
    parents = {parent.pk: parent}
    for moved in OrgUnit.objects.filter(path__startswith=new_path).order_by("depth"):
        moved.scope_path = _scope_path(moved, parents[moved.parent_id or 0])
        moved.save(update_fields=["scope_path"])
        parents[moved.pk] = moved
    unit.refresh_from_db()
    ctx.record(unit, ObjectChange.Action.UPDATE, before=before)
    return unit


def set_unit_active(ctx: ChangeContext, unit: OrgUnit, *, active: bool) -> OrgUnit:
    if not active and unit.children.filter(is_active=True).exists():
        raise Conflict(_("Deactivate the units below it first."), code="org_unit_has_children")
    before = snapshot(unit)
    unit.is_active = active
    unit.save(update_fields=["is_active"])
    ctx.record(unit, ObjectChange.Action.UPDATE, before=before)
    return unit
