from typing import Any

from django.db.models import Prefetch, QuerySet

from firstcall.accounts.models import ApiToken, FlowRole, FunctionRole, Membership, User
from firstcall.accounts.permissions import firstcall_permissions, name_of
from firstcall.accounts.tokens import hash_token
from firstcall.core import clock
from firstcall.core.errors import NotFound
from firstcall.orgs.models import OrgUnit


def visible_users(principal: Any, action: str = "view") -> QuerySet[User]:
    return User.objects.restrict(principal, action).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("unit", "role", "flow_role"),
        )
    )


def get_user(principal: Any, pk: int, action: str = "view") -> User:
    user = visible_users(principal, action).filter(pk=pk).first()
    if user is None:
        raise NotFound(code="user_not_found")
    return user


def user_with_memberships(pk: int) -> User:
    return User.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("unit", "role", "flow_role"),
        )
    ).get(pk=pk)


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("unit", "role", "flow_role")


def role_by_code(code: str) -> FunctionRole:
    role = FunctionRole.objects.filter(code=code).first()
    if role is None:
        raise NotFound(code="role_not_found", role=code)
    return role


def token_for_secret(raw: str) -> ApiToken | None:
    """The usable token whose secret this is, marking its last use (at most once a minute)."""
    token = (
        ApiToken.objects.select_related("unit")
        .filter(key_hash=hash_token(raw), is_active=True)
        .first()
    )
    if token is None or not token.is_usable():
        return None
    now = clock.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def memberships_in_scope(principal: Any, user: User, action: str = "view") -> QuerySet[Membership]:
    return (
        Membership.objects.restrict(principal, action)
        .filter(user=user)
        .select_related("unit", "role", "flow_role")
        .order_by("unit__path", "role__code")
    )


def get_membership(principal: Any, pk: int, action: str = "view") -> Membership:
    membership = (
        Membership.objects.restrict(principal, action)
        .select_related("unit", "role", "user")
        .filter(pk=pk)
        .first()
    )
    if membership is None:
        raise NotFound(code="membership_not_found")
    return membership


def units_where(principal: Any, permission: str) -> QuerySet[OrgUnit]:
    """Active org units where the principal holds the permission (for choices in a form)."""
    return OrgUnit.objects.restrict(principal, permission).filter(is_active=True).order_by("path")


def roles_with_permissions() -> QuerySet[FunctionRole]:
    return FunctionRole.objects.prefetch_related("permissions__content_type").order_by("code")


def held_permission_names(principal: Any) -> set[str]:
    """Every FirstCall permission the principal holds somewhere."""
    every = {name_of(p) for p in firstcall_permissions()}
    if principal.is_superuser:
        return every
    return every & principal.role_permissions()


def grantable_roles(principal: Any) -> list[FunctionRole]:
    """Roles all of whose permissions the principal holds somewhere (the exact place is checked
    when the role is given)."""
    held = held_permission_names(principal)
    return [
        role
        for role in roles_with_permissions()
        if {name_of(p) for p in role.permissions.all()} <= held
    ]


def visible_tokens(principal: Any, action: str = "view") -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.restrict(principal, action)
        .select_related("unit", "created_by")
        .prefetch_related("permissions__content_type")
        .order_by("-is_active", "name")
    )


def get_token(principal: Any, pk: int, action: str = "view") -> ApiToken:
    token = visible_tokens(principal, action).filter(pk=pk).first()
    if token is None:
        raise NotFound(code="token_not_found")
    return token


def flow_roles() -> QuerySet[FlowRole]:
    return FlowRole.objects.order_by("code")
