from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from firstcall.accounts import queries
from firstcall.accounts.models import ApiToken, User
from firstcall.core.errors import Forbidden
from firstcall.core.inputs import MAX_ID, MAX_OFFSET
from firstcall.core.problem import DETAIL_ERRORS, READ_ERRORS, with_problems
from firstcall.core.scope import require_permission

USERS_MAX_LIMIT = 500


class TokenAuth(HttpBearer):
    """`Authorization: Bearer fc_…` — the token itself becomes the principal."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return queries.token_for_secret(token)


class SessionPrincipal(APIKeyCookie):
    """A signed-in browser session. Its unsafe calls (POST, PATCH, ...) must carry the CSRF token
    (`X-CSRFToken` header, from the `firstcall_csrftoken` cookie) and pass Django's origin check,
    as a form on the site would; a bearer token needs neither, no browser sends it on its own."""

    param_name = "firstcall_session"

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if not key or user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise Forbidden(
                _("The CSRF token is missing or wrong; reload the page and try again."),
                code="csrf_failed",
            )
        return user


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


@router.get("/me", response=with_problems({200: PrincipalOut}, (400, 401)))
def me(request: HttpRequest) -> PrincipalOut:
    principal: Any = request.auth  # type: ignore[attr-defined]
    if isinstance(principal, ApiToken):
        return PrincipalOut(kind="token", label=principal.token_label)
    user = queries.user_with_memberships(principal.pk)
    return PrincipalOut(kind="user", label=user.username, user=_user_out(user))


@router.get("/users", response=with_problems({200: list[UserOut]}, READ_ERRORS))
def list_users(
    request: HttpRequest,
    limit: int = Query(100, ge=1, le=USERS_MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[UserOut]:
    principal = request.auth  # type: ignore[attr-defined]
    require_permission(principal, "accounts.view_user")
    users = queries.visible_users(principal).order_by("username")[offset : offset + limit]
    return [_user_out(u) for u in users]


@router.get("/users/{user_id}", response=with_problems({200: UserOut}, DETAIL_ERRORS))
def get_user(request: HttpRequest, user_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> UserOut:
    principal = request.auth  # type: ignore[attr-defined]
    require_permission(principal, "accounts.view_user")
    return _user_out(queries.get_user(principal, user_id))
