"""Who may give what to whom: an administrator's own rights bound everything they grant.

One place for the rules, called by the services before every user, membership, role and token
write (so no screen, API or command can skip them), and by the views only to decide what to offer:

- a person is managed (edited, deactivated, given a password, given or relieved of a role) only by
  someone who holds `accounts.change_user` wherever that person holds a membership, and who could
  have granted each of that person's roles; a superuser only by a superuser;
- a function role is granted at a unit only by someone who holds `accounts.add_membership` there
  and every permission of the role across the unit's company (where the membership will apply);
- function roles apply in every province at once, so creating or changing one needs the permission
  at a root unit, and only permissions held at a root go into it;
- a token is issued for a unit only by someone who holds `accounts.add_apitoken` there and every
  permission put on the token at that unit.

A write whose ChangeContext has no acting user comes from the machine's operator (a command without
`--as`, a background task, seeding) and is not bounded; a web or API write without one is refused.
"""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from firstcall.accounts.models import FunctionRole, Membership, User
from firstcall.accounts.permissions import label_of
from firstcall.core.audit import ChangeContext
from firstcall.core.errors import Forbidden, ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.core.scope import has_permission_at, holds_everywhere
from firstcall.orgs.models import OrgUnit

MANAGE_USER = "accounts.change_user"


def acting_user(ctx: ChangeContext) -> Any:
    """The user whose rights bound this write, or None when the machine's operator writes."""
    actor = ctx.actor
    if actor is not None:
        return actor
    if ctx.source in (ObjectChange.Source.WEB, ObjectChange.Source.API):
        raise Forbidden(code="permission_denied")
    return None


def role_permission_names(role: FunctionRole) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in role.permissions.values_list("content_type__app_label", "codename")
    }


def missing_at(principal: Any, names: Iterable[str], path: str) -> list[str]:
    """The permissions among `names` that the principal does not hold at the unit with `path`."""
    return sorted(name for name in set(names) if not has_permission_at(principal, name, path))


def _listed(names: list[str]) -> str:
    return ", ".join(label_of(name) for name in names)


def require_at(principal: Any, permission: str, unit: OrgUnit) -> None:
    if principal is not None and not has_permission_at(principal, permission, unit.path):
        raise Forbidden(code="permission_denied", permission=permission)


def can_grant_role(principal: Any, role: FunctionRole, unit: OrgUnit) -> bool:
    return principal is None or not missing_at(
        principal, role_permission_names(role), unit.scope_path
    )


def require_grantable(principal: Any, role: FunctionRole, unit: OrgUnit) -> None:
    if principal is None:
        return
    missing = missing_at(principal, role_permission_names(role), unit.scope_path)
    if missing:
        message = _("You cannot give this role here: it carries permissions you do not hold: %s")
        raise ValidationFailed(errors={"role": [message % _listed(missing)]})


def unmanageable_reason(principal: Any, person: User) -> str | None:
    """Why the principal may not manage this person, or None when they may."""
    if principal is None or principal.is_superuser:
        return None
    if person.is_superuser:
        return _("Only a superuser can manage a superuser.")
    rows = Membership.objects.filter(user=person).values_list(
        "unit__path",
        "unit__scope_path",
        "role__permissions__content_type__app_label",
        "role__permissions__codename",
    )
    for path, scope_path, app, codename in rows:
        if not has_permission_at(principal, MANAGE_USER, path):
            return _("This person also holds roles outside your part of the organisation.")
        if codename and not has_permission_at(principal, f"{app}.{codename}", scope_path):
            return _("This person holds permissions that you do not hold yourself.")
    return None


def can_manage(principal: Any, person: User) -> bool:
    return unmanageable_reason(principal, person) is None


def require_manageable(principal: Any, person: User) -> None:
    if principal is None:
        return
    if not principal.is_superuser and not _holds_anywhere(principal, MANAGE_USER):
        raise Forbidden(code="permission_denied", permission=MANAGE_USER)
    reason = unmanageable_reason(principal, person)
    if reason is not None:
        raise Forbidden(reason, code="person_not_manageable")


def _holds_anywhere(principal: Any, permission: str) -> bool:
    paths = principal.scope_paths(permission)
    return paths is None or bool(paths)


def require_role_admin(principal: Any, action: str) -> None:
    """Roles apply everywhere: creating or changing one needs the permission at a root unit."""
    permission = f"accounts.{action}_functionrole"
    if principal is not None and not holds_everywhere(principal, permission):
        raise Forbidden(
            _("Function roles apply in every province; only headquarters manages them."),
            code="permission_denied",
            permission=permission,
        )


def require_held_everywhere(principal: Any, names: Iterable[str], field: str) -> None:
    if principal is None:
        return
    missing = sorted(name for name in set(names) if not holds_everywhere(principal, name))
    if missing:
        message = _("You can only give permissions you hold yourself; you do not hold: %s")
        raise ValidationFailed(errors={field: [message % _listed(missing)]})


def require_held_at(principal: Any, names: Iterable[str], unit: OrgUnit, field: str) -> None:
    if principal is None:
        return
    missing = missing_at(principal, names, unit.path)
    if missing:
        message = _("You can only give permissions you hold yourself; you do not hold: %s")
        raise ValidationFailed(errors={field: [message % _listed(missing)]})


def require_superuser(principal: Any) -> None:
    if principal is not None and not principal.is_superuser:
        raise Forbidden(code="permission_denied")
