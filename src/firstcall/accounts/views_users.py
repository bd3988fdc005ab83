"""Managing people on FirstCall's own screens: create, edit, deactivate, give and take roles.

The views offer only what the signed-in administrator may give (units in their subtree, roles they
hold themselves); the services check the same rules again, whatever was posted.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from firstcall.accounts import grants, queries, services
from firstcall.accounts.forms import MembershipFields, UserCreateForm, UserEditForm
from firstcall.accounts.models import User
from firstcall.core.audit import ChangeContext
from firstcall.core.errors import Conflict
from firstcall.core.forms import FormWrite
from firstcall.core.scope import require_permission


def membership_choices(principal: Any) -> dict[str, Any]:
    return {
        "units": queries.units_where(principal, "accounts.add_membership"),
        "roles": queries.grantable_roles(principal),
        "flow_roles": queries.flow_roles(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, "accounts.add_user")
    form = UserCreateForm(request.POST or None, **membership_choices(request.user))
    write = FormWrite(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = write.run(
            lambda: services.create_user(
                ChangeContext.from_request(request),
                username=data["username"],
                password=data["password"],
                name=data["name"],
                email=data["email"],
                unit=data["unit"],
                role=data["role"],
                flow_role=data["flow_role"],
            )
        )
        if person is not None:
            return redirect("accounts:user_detail", pk=person.pk)
    return render(request, "accounts/user_create.html", {"form": form}, status=write.status)


def _manageable(request: HttpRequest, pk: int) -> User:
    """The person, if in the admin's subtree (404 otherwise) and theirs to manage (403)."""
    require_permission(request.user, "accounts.change_user")
    person = queries.get_user(request.user, pk, "change")
    grants.require_manageable(request.user, person)
    return person


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _manageable(request, pk)
    initial = {"name": person.name, "email": person.email}
    form = UserEditForm(request.POST or None, initial=initial)
    write = FormWrite(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ctx = ChangeContext.from_request(request)

        def save() -> User:
            services.update_user(ctx, person, name=data["name"], email=data["email"])
            if data["password"]:
                services.set_password(ctx, person, data["password"])
            return person

        if write.run(save) is not None:
            return redirect("accounts:user_detail", pk=person.pk)
    context = {"person": person, "form": form}
    return render(request, "accounts/user_edit.html", context, status=write.status)


@login_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    person = _manageable(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.update_user(ChangeContext.from_request(request), person, is_active=active)
    except Conflict as exc:  # refused before anything was written
        messages.error(request, exc.detail)
    return redirect("accounts:user_detail", pk=person.pk)


@login_required
@require_http_methods(["GET", "POST"])
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, "accounts.add_membership")
    person = _manageable(request, pk)
    form = MembershipFields(request.POST or None, **membership_choices(request.user))
    write = FormWrite(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ctx = ChangeContext.from_request(request)
        if write.run(lambda: services.grant_membership(ctx, user=person, **data)) is not None:
            return redirect("accounts:user_detail", pk=person.pk)
    context = {"person": person, "form": form}
    return render(request, "accounts/membership_add.html", context, status=write.status)


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, "accounts.delete_membership")
    membership = queries.get_membership(request.user, pk, "delete")
    person_pk = membership.user_id
    try:
        services.revoke_membership(ChangeContext.from_request(request), membership)
    except Conflict as exc:  # refused before anything was written
        messages.error(request, exc.detail)
    return redirect("accounts:user_detail", pk=person_pk)
