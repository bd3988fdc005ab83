"""Users, memberships, roles and API tokens. Every write records an audit row.

Every function checks, through `grants`, that the acting user may make the change: no screen, API
call or command can give more than its user holds. None of them commits; the request, job or
command around them holds the transaction.
"""

import re
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from firstcall.accounts import grants
from firstcall.accounts.models import ApiToken, FlowRole, FunctionRole, Membership, User
from firstcall.accounts.tokens import hash_token, new_secret
from firstcall.core import clock
from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.errors import Conflict, Forbidden, ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.orgs.models import OrgUnit

ROLE_CODE = re.compile(r"[-a-zA-Z0-9_]{1,40}")


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


def _check_text(errors: dict[str, list[str]], field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.setdefault(field, []).append(
            _("Enter at most %(limit)d characters.") % {"limit": limit}
        )
    if "\x00" in value:
        errors.setdefault(field, []).append(_("Null characters are not allowed."))


def _validated_password(user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(errors={"password": list(exc.messages)}) from exc


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
    unit: OrgUnit | None = None,
    role: FunctionRole | None = None,
    flow_role: FlowRole | None = None,
) -> User:
    """Create a user, with a first membership when `unit` and `role` are given.

    An administrator (any acting user but a superuser) must give the first membership, in their
    own part of the organisation, and can never make a superuser or a staff user.
    """
    principal = grants.acting_user(ctx)
    if principal is not None and not principal.is_superuser:
        if is_staff or is_superuser:
            raise Forbidden(
                _("Only a superuser can make a superuser or open the administration site to one."),
                code="permission_denied",
            )
        if unit is None or role is None:
            raise ValidationFailed(
                errors={"unit": [_("A new user needs a first role in your organisation.")]}
            )
        grants.require_at(principal, "accounts.add_user", unit)
    username, name, email = username.strip(), name.strip(), email.strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = [_("This field is required.")]
    _check_text(errors, "username", username, 150)
    _check_text(errors, "name", name, 100)
    _check_text(errors, "email", email, 254)
    if errors:
        raise ValidationFailed(errors=errors)
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise ValidationFailed(errors={"username": list(exc.messages)}) from exc
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(
            errors={"username": [_("A user with that username already exists.")]}
        )
    user = User(username=username, name=name, email=email)
    user.is_staff = is_staff or is_superuser
    user.is_superuser = is_superuser
    if check_password:
        _validated_password(user, password)
    user.set_password(password)
    try:
        with transaction.atomic():  # a savepoint: a racing request took the name first
            user.save()
    except IntegrityError as exc:
        message = _("A user with that username already exists.")
        raise Conflict(message, code="username_taken", errors={"username": [message]}) from exc
    ctx.record(user, ObjectChange.Action.CREATE)
    if unit is not None and role is not None:
        grant_membership(ctx, user=user, unit=unit, role=role, flow_role=flow_role)
    return user


def update_user(
    ctx: ChangeContext,
    user: User,
    *,
    name: str | None = None,
    email: str | None = None,
    is_active: bool | None = None,
) -> User:
    """Change a person's name, email or whether they may sign in (never their admin flags)."""
    principal = grants.acting_user(ctx)
    grants.require_manageable(principal, user)
    if is_active is False and principal is not None and principal.pk == user.pk:
        raise Conflict(_("You cannot deactivate yourself."), code="deactivate_self")
    errors: dict[str, list[str]] = {}
    _check_text(errors, "name", (name or "").strip(), 100)
    _check_text(errors, "email", (email or "").strip(), 254)
    if errors:
        raise ValidationFailed(errors=errors)
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
    principal = grants.acting_user(ctx)
    if principal is None or principal.pk != user.pk:
        grants.require_manageable(principal, user)
    _validated_password(user, password)
    before = snapshot(user)
    user.set_password(password)
    user.save(update_fields=["password"])
    ctx.record(user, "set_password", before=before)


def set_language(ctx: ChangeContext, user: User, code: str) -> None:
    """The user's interface language from now on (empty: FirstCall's default, zh-hans)."""
    if code and code not in {c for c, _name in settings.LANGUAGES}:
        raise ValidationFailed(errors={"language": [_("Choose a language FirstCall speaks.")]})
    before = snapshot(user)
    user.language = code
    user.save(update_fields=["language"])
    ctx.record(user, ObjectChange.Action.UPDATE, before=before)


def grant_membership(
    ctx: ChangeContext,
    *,
    user: User,
    unit: OrgUnit,
    role: FunctionRole,
    flow_role: FlowRole | None = None,
) -> Membership:
    principal = grants.acting_user(ctx)
    grants.require_at(principal, "accounts.add_membership", unit)
    grants.require_manageable(principal, user)
    grants.require_grantable(principal, role, unit)
    if not unit.is_active:
        raise ValidationFailed(errors={"unit": [_("The org unit is inactive.")]})
    try:
        with transaction.atomic():  # a savepoint: a duplicate is a 409, not a broken transaction
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
    principal = grants.acting_user(ctx)
    unit, person = membership.unit, membership.user
    grants.require_at(principal, "accounts.delete_membership", unit)
    grants.require_manageable(principal, person)
    if principal is not None and not grants.can_grant_role(principal, membership.role, unit):
        raise Forbidden(code="permission_denied")
    if (
        principal is not None
        and not Membership.objects.filter(user=person).exclude(pk=membership.pk).exists()
    ):
        raise Conflict(
            _("This is the person's last role. Deactivate the person instead."),
            code="last_membership",
        )
    before = snapshot(membership)
    ctx.record(membership, ObjectChange.Action.DELETE, before=before)
    membership.delete()
    person.forget_permission_cache()


def _check_role_fields(name: str, description: str) -> None:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("This field is required.")]
    _check_text(errors, "name", name, 100)
    _check_text(errors, "description", description, 2000)
    if errors:
        raise ValidationFailed(errors=errors)


def create_function_role(
    ctx: ChangeContext,
    *,
    code: str,
    name: str,
    permissions: Iterable[str] = (),
    description: str = "",
) -> FunctionRole:
    principal = grants.acting_user(ctx)
    grants.require_role_admin(principal, "add")
    names = set(permissions)
    grants.require_held_everywhere(principal, names, "permissions")
    code = code.strip()
    if not ROLE_CODE.fullmatch(code):
        raise ValidationFailed(errors={"code": [_("Use letters, digits, - and _ only.")]})
    _check_role_fields(name, description)
    if FunctionRole.objects.filter(code=code).exists():
        raise ValidationFailed(errors={"code": [_("A role with this code already exists.")]})
    perms = permissions_by_name(names)
    try:
        with transaction.atomic():  # a savepoint: a racing request took the code first
            role = FunctionRole.objects.create(
                code=code, name=name.strip(), description=description
            )
    except IntegrityError as exc:
        message = _("A role with this code already exists.")
        raise Conflict(message, code="role_code_taken", errors={"code": [message]}) from exc
    role.permissions.set(perms)
    ctx.record(role, ObjectChange.Action.CREATE)
    return role


def update_function_role(
    ctx: ChangeContext,
    role: FunctionRole,
    *,
    name: str | None = None,
    description: str | None = None,
    permissions: Iterable[str] | None = None,
) -> FunctionRole:
    """Change a role everywhere it is held; only someone holding all it carries may change it."""
    principal = grants.acting_user(ctx)
    grants.require_role_admin(principal, "change")
    grants.require_held_everywhere(principal, grants.role_permission_names(role), "permissions")
    _check_role_fields(role.name if name is None else name, description or "")
    perms = None
    if permissions is not None:
        names = set(permissions)
        grants.require_held_everywhere(principal, names, "permissions")
        perms = permissions_by_name(names)
    before = snapshot(role)
    if name is not None:
        role.name = name.strip()
    if description is not None:
        role.description = description
    role.save()
    if perms is not None:
        role.permissions.set(perms)
    ctx.record(role, ObjectChange.Action.UPDATE, before=before)
    return role


def set_role_permissions(
    ctx: ChangeContext, role: FunctionRole, permissions: Iterable[str]
) -> None:
    update_function_role(ctx, role, permissions=permissions)


def create_flow_role(
    ctx: ChangeContext, *, code: str, name: str, description: str = ""
) -> FlowRole:
    grants.require_superuser(grants.acting_user(ctx))
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
    principal = grants.acting_user(ctx)
    grants.require_at(principal, "accounts.add_apitoken", unit)
    names = set(permissions)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("This field is required.")]
    _check_text(errors, "name", name.strip(), 100)
    if expires_at is not None and expires_at <= clock.now():
        errors["expires_at"] = [_("The expiry must lie in the future.")]
    if not unit.is_active:
        errors["unit"] = [_("The org unit is inactive.")]
    if errors:
        raise ValidationFailed(errors=errors)
    grants.require_held_at(principal, names, unit, "permissions")
    perms = permissions_by_name(names)
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
    grants.require_at(grants.acting_user(ctx), "accounts.change_apitoken", token.unit)
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
