"""Org-subtree scoping: who may do what, where.

A principal (a user or an API token) answers `scope_paths(permission)` with the materialised paths
of the org units under which it holds that permission, or `None` when it holds it everywhere.
`restrict()` turns that into a filter; it is the only place such a filter is built.
"""

from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

from django.db.models import Model, Q

from firstcall.core.errors import Forbidden


@runtime_checkable
class Principal(Protocol):
    is_authenticated: bool

    def scope_paths(self, permission: str) -> list[str] | None: ...


PATH_ROOT_LENGTH = 7  # one segment: a root unit such as headquarters


def permission_name(model: type[Model], action: str) -> str:
    """`view` on orgs.OrgUnit -> 'orgs.view_orgunit'; a dotted action is taken as it is."""
    if "." in action:
        return action
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def minimal_prefixes(paths: Iterable[str]) -> list[str]:
    """Drop every path that lies under another one in the list."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(kept) for kept in result):
            result.append(path)
    return result


def paths_for(principal: Any, permission: str) -> list[str] | None:
    """Scope paths of a principal; anything that is not a principal gets nothing."""
    if principal is None or not getattr(principal, "is_authenticated", False):
        return []
    if not isinstance(principal, Principal):
        return []
    paths = principal.scope_paths(permission)
    return None if paths is None else minimal_prefixes(paths)


def path_q(field: str, paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def within(paths: list[str] | None, path: str) -> bool:
    """Whether a unit's path lies in scope paths (`None`: everywhere)."""
    return paths is None or any(path.startswith(p) for p in paths)


def has_permission_at(principal: Any, permission: str, path: str) -> bool:
    """Whether the principal holds the permission at the unit with this path."""
    return within(paths_for(principal, permission), path)


def holds_everywhere(principal: Any, permission: str) -> bool:
    """For configuration that belongs to no org unit: the permission must be held at a root."""
    paths = paths_for(principal, permission)
    return paths is None or any(len(p) <= PATH_ROOT_LENGTH for p in paths)


def require_everywhere(principal: Any, permission: str) -> None:
    if not holds_everywhere(principal, permission):
        raise Forbidden(code="permission_denied", permission=permission)


def require_permission(principal: Any, permission: str) -> None:
    """Refuse with 403 when the principal holds the permission nowhere at all."""
    if paths_for(principal, permission) == []:
        raise Forbidden(code="permission_denied", permission=permission)
