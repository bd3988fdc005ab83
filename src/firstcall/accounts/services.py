"""Users, memberships, roles and API tokens. Every write records an audit row."""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from firstcall.accounts.models import ApiToken, FlowRole, FunctionRole, Membership, User
from firstcall.accounts.tokens import hash_token, new_secret
from firstcall.core import clock
from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.errors import Conflict, ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.orgs.models import OrgUnit


def permissions_by_name(names: Iterable[str]) -> list[Permission]:
    """Resolve 'app_label.codename' names; an unknown name is a validation error."""
    wanted = set(names)
    found: list[Permission] = []
    for perm in Permission.objects.select_related("content_type"):
        if f"{perm.content_type.app_label}.{perm.codename}" in wanted:
            found.append(perm)
    missing = wanted - {f"{p.content_type.app_label}.{p.codename}" for p in found}
    if missing:
        raise ValidationFailed(
            errors={"permissions": [_("Unknown permission: %s") % name for name in sorted(missing)]}
        )
    return found


def create_user(
    ctx: ChangeContext,
    *,
    username: str,
    password: str,
    name: str = "",
    email: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    check_password: bool = True,
) -> User:
    username = username.strip()
    if not username:
        raise ValidationFailed(errors={"username": [_("This field is required.")]})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(
            errors={"username": [_("A user with that username already exists.")]}
        )
    user = User(username=username, name=name.strip(), email=email.strip())
    user.is_staff = is_staff or is_superuser
    user.is_superuser = is_superuser
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationFailed(errors={"password": list(exc.messages)}) from exc
    user.set_password(password)
    user.save()
    ctx.record(user, ObjectChange.Action.CREATE)
    return user


def update_user(
    ctx: ChangeContext,
    user: User,
    *,
    name: str | None = None,
    email: str | None = None,
    is_active: bool | None = None,
) -> User:
    before = snapshot(user)
    if name is not None:
        user.name = name.strip()
    if email is not None:
        user.email = email.strip()
    if is_active is not None:
        user.is_active = is_active
    user.save()
    ctx.record(user, ObjectChange.Action.UPDATE, before=before)
    return user


def set_password(ctx: ChangeContext, user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(errors={"password": list(exc.messages)}) from exc
    before = snapshot(user)
    user.set_password(password)
    user.save(update_fields=["password"])
    ctx.record(user, "set_password", before=before)


def grant_membership(
    ctx: ChangeContext,
    *,
    user: User,
    unit: OrgUnit,
    role: FunctionRole,
    flow_role: FlowRole | None = None,
) -> Membership:
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, unit=unit, role=role, flow_role=flow_role
            )
    except IntegrityError as exc:
        raise Conflict(
            _("The user already holds this role in this unit."), code="membership_exists"
        ) from exc
    ctx.record(membership, ObjectChange.Action.CREATE)
    user.forget_permission_cache()
    return membership


def revoke_membership(ctx: ChangeContext, membership: Membership) -> None:
    before = snapshot(membership)
    ctx.record(membership, ObjectChange.Action.DELETE, before=before)
    membership.delete()


def create_function_role(
    ctx: ChangeContext,
    *,
    code: str,
    name: str,
    permissions: Iterable[str] = (),
    description: str = "",
) -> FunctionRole:
    if FunctionRole.objects.filter(code=code).exists():
        raise ValidationFailed(errors={"code": [_("A role with this code already exists.")]})
    role = FunctionRole.objects.create(code=code, name=name, description=description)
    role.permissions.set(permissions_by_name(permissions))
    ctx.record(role, ObjectChange.Action.CREATE)
    return role


def set_role_permissions(
    ctx: ChangeContext, role: FunctionRole, permissions: Iterable[str]
) -> None:
    before = snapshot(role)
    role.permissions.set(permissions_by_name(permissions))
    ctx.record(role, ObjectChange.Action.UPDATE, before=before)


def create_flow_role(
    ctx: ChangeContext, *, code: str, name: str, description: str = ""
) -> FlowRole:
    role, created = FlowRole.objects.get_or_create(
        code=code, defaults={"name": name, "description": description}
    )
    if created:
        ctx.record(role, ObjectChange.Action.CREATE)
    return role


def issue_token(
    ctx: ChangeContext,
    *,
    name: str,
    unit: OrgUnit,
    permissions: Iterable[str],
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is not stored and not shown again."""
    if not name.strip():
        raise ValidationFailed(errors={"name": [_("This field is required.")]})
    if expires_at is not None and expires_at <= clock.now():
        raise ValidationFailed(errors={"expires_at": [_("The expiry must lie in the future.")]})
    perms = permissions_by_name(permissions)
    raw = new_secret()
    token = ApiToken.objects.create(
        name=name.strip(),
        prefix=raw[:10],
        key_hash=hash_token(raw),
        unit=unit,
        created_by=ctx.actor if isinstance(ctx.actor, User) else None,
        expires_at=expires_at,
    )
    token.permissions.set(perms)
    ctx.record(token, ObjectChange.Action.CREATE)
    return token, raw


def revoke_token(ctx: ChangeContext, token: ApiToken) -> ApiToken:
    before = snapshot(token)
    token.is_active = False
    token.save(update_fields=["is_active"])
    ctx.record(token, "revoke", before=before)
    return token


def deactivate_expired_tokens(ctx: ChangeContext) -> int:
    expired = ApiToken.objects.filter(is_active=True, expires_at__lte=clock.now())
    count = 0
    for token in expired:
        before = snapshot(token)
        token.is_active = False
        token.save(update_fields=["is_active"])
        ctx.record(token, "expire", before=before)
        count += 1
    return count
