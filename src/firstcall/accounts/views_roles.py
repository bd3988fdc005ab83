"""Function roles and API tokens on FirstCall's own screens.

Roles apply in every province at once, so only headquarters creates or changes them, and only with
permissions it holds at headquarters. Tokens are issued for a unit in the admin's subtree with
permissions the admin holds there; the secret is shown once, on the page that answers the issue.
"""

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from firstcall.accounts import grants, queries, services
from firstcall.accounts.forms import RoleForm, TokenForm
from firstcall.accounts.models import FunctionRole
from firstcall.accounts.permissions import grouped_choices, labels, name_of
from firstcall.core import clock
from firstcall.core.audit import ChangeContext
from firstcall.core.errors import Forbidden
from firstcall.core.forms import FormWrite
from firstcall.core.scope import has_permission_at, holds_everywhere, require_permission


def _held_everywhere(principal: Any) -> set[str]:
    return {n for n in queries.held_permission_names(principal) if holds_everywhere(principal, n)}


def _may_change(principal: Any, role: FunctionRole, held_everywhere: set[str]) -> bool:
    names = {name_of(p) for p in role.permissions.all()}
    return holds_everywhere(principal, "accounts.change_functionrole") and names <= held_everywhere


@login_required
def role_list(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, "accounts.view_functionrole")
    held = _held_everywhere(request.user)
    roles = [
        {
            "role": role,
            "permissions": labels(name_of(p) for p in role.permissions.all()),
            "can_change": _may_change(request.user, role, held),
        }
        for role in queries.roles_with_permissions()
    ]
    context = {
        "roles": roles,
        "can_add": holds_everywhere(request.user, "accounts.add_functionrole"),
    }
    return render(request, "accounts/role_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def role_create(request: HttpRequest) -> HttpResponse:
    grants.require_role_admin(request.user, "add")
    choices = grouped_choices(_held_everywhere(request.user))
    form = RoleForm(request.POST or None, choices=choices)
    write = FormWrite(form)
    if request.method == "POST" and form.is_valid():
        ctx, data = ChangeContext.from_request(request), form.cleaned_data
        if write.run(lambda: services.create_function_role(ctx, **data)) is not None:
            return redirect("accounts:role_list")
    return render(request, "accounts/role_form.html", {"form": form}, status=write.status)


@login_required
@require_http_methods(["GET", "POST"])
def role_edit(request: HttpRequest, pk: int) -> HttpResponse:
    grants.require_role_admin(request.user, "change")
    role = get_object_or_404(queries.roles_with_permissions(), pk=pk)
    held = _held_everywhere(request.user)
    if not _may_change(request.user, role, held):
        raise Forbidden(code="permission_denied")
    initial = {
        "name": role.name,
        "description": role.description,
        "permissions": sorted(name_of(p) for p in role.permissions.all()),
    }
    form = RoleForm(
        request.POST or None, initial=initial, choices=grouped_choices(held), editing=True
    )
    write = FormWrite(form)
    if request.method == "POST" and form.is_valid():
        ctx, data = ChangeContext.from_request(request), form.cleaned_data
        if write.run(lambda: services.update_function_role(ctx, role, **data)) is not None:
            return redirect("accounts:role_list")
    context = {"form": form, "role": role}
    return render(request, "accounts/role_form.html", context, status=write.status)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, "accounts.view_apitoken")
    tokens = [
        {
            "token": token,
            "permissions": labels(name_of(p) for p in token.permissions.all()),
            "can_revoke": token.is_active
            and has_permission_at(request.user, "accounts.change_apitoken", token.unit.path),
        }
        for token in queries.visible_tokens(request.user)
    ]
    context = {
        "tokens": tokens,
        "can_add": queries.units_where(request.user, "accounts.add_apitoken").exists(),
        "now": clock.now(),
    }
    return render(request, "accounts/token_list.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_issue(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, "accounts.add_apitoken")
    form = TokenForm(
        request.POST or None,
        units=queries.units_where(request.user, "accounts.add_apitoken"),
        choices=grouped_choices(queries.held_permission_names(request.user)),
    )
    write = FormWrite(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        days = data["valid_days"]
        issued = write.run(
            lambda: services.issue_token(
                ChangeContext.from_request(request),
                name=data["name"],
                unit=data["unit"],
                permissions=data["permissions"],
                expires_at=clock.now() + timedelta(days=days) if days else None,
            )
        )
        if issued is not None:
            token, secret = issued
            context = {"token": token, "secret": secret, "permissions": labels(data["permissions"])}
            return render(request, "accounts/token_issued.html", context, status=201)
    return render(request, "accounts/token_issue.html", {"form": form}, status=write.status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, "accounts.change_apitoken")
    token = queries.get_token(request.user, pk, "change")
    if token.is_active:
        services.revoke_token(ChangeContext.from_request(request), token)
    return redirect("accounts:token_list")
