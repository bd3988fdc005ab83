from typing import Any

from django.db.models import Prefetch, QuerySet

from firstcall.accounts.models import ApiToken, FunctionRole, Membership, User
from firstcall.accounts.tokens import hash_token
from firstcall.core import clock
from firstcall.core.errors import NotFound


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
