from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.errors import Forbidden
from firstcall.core.models import ObjectChange


def superusers_only(request: HttpRequest) -> bool:
    """Django's admin knows nothing of org scopes, so it is open to superusers alone; org
    administrators work on FirstCall's own screens, which scope with restrict()."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_active and user.is_superuser)


# Every admin URL but the login page goes through AdminSite.admin_view, which asks this.
admin.site.has_permission = superusers_only  # type: ignore[method-assign]


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's login URL: the anonymous go to FirstCall's (throttled) sign-in; a signed-in
    user who is not a superuser is refused here rather than sent round a sign-in loop."""
    user = request.user
    if not user.is_authenticated:
        target = reverse("accounts:login")
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(f"{target}?{query}" if query else target)
    if not superusers_only(request):
        raise Forbidden(
            _("The administration site is for superusers. Use FirstCall's own screens."),
            code="admin_superusers_only",
        )
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("admin:index")
    return HttpResponseRedirect(target)


class SuperuserAdmin(admin.ModelAdmin):
    """Each model admin answers for superusers alone too, should the site's check be bypassed."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return superusers_only(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return superusers_only(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return superusers_only(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return superusers_only(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return superusers_only(request) and super().has_delete_permission(request, obj)


class AuditedAdmin(SuperuserAdmin):
    """Admin writes are write paths too: each save or delete leaves an audit row."""

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        before = None
        if change and obj.pk is not None:
            previous = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(previous) if previous else None
        super().save_model(request, obj, form, change)
        request._fc_admin_change = (obj, before, change)  # type: ignore[attr-defined]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj, before, was_change = request._fc_admin_change  # type: ignore[attr-defined]
        action = ObjectChange.Action.UPDATE if was_change else ObjectChange.Action.CREATE
        ChangeContext.from_request(request, reason="admin").record(obj, action, before=before)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        ChangeContext.from_request(request, reason="admin").record(
            obj, ObjectChange.Action.DELETE, before=snapshot(obj)
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        ctx = ChangeContext.from_request(request, reason="admin")
        for obj in queryset:
            ctx.record(obj, ObjectChange.Action.DELETE, before=snapshot(obj))
        super().delete_queryset(request, queryset)


@admin.register(ObjectChange)
class ReadOnlyAdmin(SuperuserAdmin):
    """A record written only by FirstCall's services (an audit row, a clock, a work item):
    shown to superusers, never added, changed or deleted in the admin."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ObjectChangeAdmin(ReadOnlyAdmin):
    list_display = ["time", "actor_label", "source", "action", "content_type", "object_repr"]
    list_filter = ["source", "action", "content_type"]
    search_fields = ["actor_label", "object_repr", "request_id", "job_id", "reason"]
    date_hierarchy = "time"
