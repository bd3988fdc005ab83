from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import APIKeyCookie, HttpBearer

from firstcall.accounts import queries
from firstcall.accounts.models import ApiToken, User
from firstcall.core.scope import require_permission


class TokenAuth(HttpBearer):
    """`Authorization: Bearer fc_…` — the token itself becomes the principal."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return queries.token_for_secret(token)


class SessionPrincipal(APIKeyCookie):
    """A signed-in browser session; unsafe methods need the CSRF token as elsewhere."""

    param_name = "firstcall_session"

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


router = Router()


class MembershipOut(Schema):
    unit_id: int
    unit_code: str
    unit_name: str
    role: str
    flow_role: str | None


class UserOut(Schema):
    id: int
    username: str
    name: str
    email: str
    is_active: bool
    memberships: list[MembershipOut]


class PrincipalOut(Schema):
    kind: str
    label: str
    user: UserOut | None = None


def _user_out(user: User) -> UserOut:
    return UserOut(
        id=user.pk,
        username=user.username,
        name=user.name,
        email=user.email,
        is_active=user.is_active,
        memberships=[
            MembershipOut(
                unit_id=m.unit_id,
                unit_code=m.unit.code,
                unit_name=m.unit.name,
                role=m.role.code,
                flow_role=m.flow_role.code if m.flow_role else None,
            )
            for m in user.memberships.all()
        ],
    )


@router.get("/me", response=PrincipalOut)
def me(request: HttpRequest) -> PrincipalOut:
    principal: Any = request.auth  # type: ignore[attr-defined]
    if isinstance(principal, ApiToken):
        return PrincipalOut(kind="token", label=principal.token_label)
    user = queries.user_with_memberships(principal.pk)
    return PrincipalOut(kind="user", label=user.username, user=_user_out(user))


@router.get("/users", response=list[UserOut])
def list_users(request: HttpRequest, limit: int = 100, offset: int = 0) -> list[UserOut]:
    principal = request.auth  # type: ignore[attr-defined]
    require_permission(principal, "accounts.view_user")
    limit = max(1, min(limit, 500))
    users = queries.visible_users(principal).order_by("username")[offset : offset + limit]
    return [_user_out(u) for u in users]


@router.get("/users/{user_id}", response=UserOut)
def get_user(request: HttpRequest, user_id: int) -> UserOut:
    principal = request.auth  # type: ignore[attr-defined]
    require_permission(principal, "accounts.view_user")
    return _user_out(queries.get_user(principal, user_id))
