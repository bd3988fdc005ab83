from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from firstcall.accounts import grants, language, queries, services, throttle
from firstcall.accounts.forms import LoginForm
from firstcall.core.audit import ChangeContext
from firstcall.core.net import client_address
from firstcall.core.scope import has_permission_at, paths_for, require_permission


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class LoginView(auth_views.LoginView):
    """Django's login with failed-attempt throttling per username and per address.

    The password is checked outside any transaction, and the writes (throttle counters, last
    login, the new session) then commit together in one short transaction. A transaction around
    the whole request would hold SQLite's write lock through the Argon2 check (a tenth of a second
    of CPU each), so agents signing in at once queued behind each other until the busy timeout.
    """

    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        until = throttle.locked_until(username, client_address(request))
        if until is not None:
            return self._locked(until)
        form = self.get_form()
        valid = form.is_valid()
        with transaction.atomic():
            return self.form_valid(form) if valid else self.form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        throttle.record_success(user.get_username(), client_address(self.request))
        # The user's own language from now on in this browser (the default when none chosen).
        return language.remember(super().form_valid(form), user.language)

    def form_invalid(self, form: Any) -> HttpResponse:
        username = self.request.POST.get("username", "")
        until = throttle.record_failure(username, client_address(self.request))
        if until is not None:
            return self._locked(until)
        return super().form_invalid(form)

    def _locked(self, until: Any) -> HttpResponse:
        when = formats.time_format(timezone.localtime(until), "H:i")
        message = _("Too many failed sign-in attempts. Try again after %(time)s.") % {"time": when}
        context = self.get_context_data(form=self.get_form_class()(self.request))
        context["locked_message"] = message
        return self.render_to_response(context, status=429)


class LogoutView(auth_views.LogoutView):
    pass


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The "语言 / Language" setting of the header: kept on the user when signed in, and in this
    browser's language cookie (the sign-in page's choice, before anyone is signed in)."""
    code = request.POST.get("language", "")
    if code not in language.CODES:
        return HttpResponseBadRequest(_("Choose a language FirstCall speaks."))
    if request.user.is_authenticated:
        services.set_language(ChangeContext.from_request(request), request.user, code)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return language.remember(redirect(target), code)


def has_permission_anywhere(principal: Any, permission: str) -> bool:
    return paths_for(principal, permission) != []


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, "accounts.view_user")
    users = queries.visible_users(request.user).order_by("username")
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    if q:
        users = users.filter(Q(username__icontains=q) | Q(name__icontains=q))
    unit = request.GET.get("unit", "")
    if unit.isascii() and unit.isdigit() and len(unit) <= 12:
        users = users.filter(memberships__unit_id=int(unit)).distinct()
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    template = "accounts/user_list.html#rows" if request.htmx else "accounts/user_list.html"  # type: ignore[attr-defined]
    context = {
        "page": page,
        "q": q,
        "unit": unit,
        "can_add": has_permission_anywhere(request.user, "accounts.add_user"),
    }
    return render(request, template, context)


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, "accounts.view_user")
    person = queries.get_user(request.user, pk)
    principal = request.user
    manage_refusal = grants.unmanageable_reason(principal, person)
    may_change = has_permission_anywhere(principal, "accounts.change_user")
    can_manage = may_change and manage_refusal is None
    held = list(person.memberships.all())
    memberships = [
        (
            m,
            can_manage
            and len(held) > 1  # the last role is not taken: the person is deactivated instead
            and has_permission_at(principal, "accounts.delete_membership", m.unit.path)
            and grants.can_grant_role(principal, m.role, m.unit),
        )
        for m in held
    ]
    context = {
        "person": person,
        "memberships": memberships,
        "can_manage": can_manage,
        "manage_refusal": manage_refusal if may_change else None,
        "can_add_membership": can_manage
        and has_permission_anywhere(principal, "accounts.add_membership"),
        "is_self": person.pk == principal.pk,
    }
    return render(request, "accounts/user_detail.html", context)
