from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from firstcall.accounts import services
from firstcall.accounts.models import ApiToken, FlowRole, FunctionRole, Membership, User
from firstcall.core.admin import AuditedAdmin
from firstcall.core.audit import ChangeContext


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ["username", "name", "email", "is_active", "is_staff"]
    search_fields = ["username", "name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("name", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    inlines = [MembershipInline]


@admin.register(FunctionRole)
class FunctionRoleAdmin(AuditedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    filter_horizontal = ["permissions"]


@admin.register(FlowRole)
class FlowRoleAdmin(AuditedAdmin):
    list_display = ["code", "name"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "unit", "role", "flow_role"]
    list_filter = ["role", "flow_role"]
    autocomplete_fields = ["user", "unit"]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ["name", "prefix", "unit", "is_active", "expires_at", "last_used_at"]
    list_filter = ["is_active"]
    readonly_fields = ["prefix", "last_used_at", "created_by"]
    filter_horizontal = ["permissions"]
    autocomplete_fields = ["unit"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new token is issued by the service, which makes the secret; it is shown this once.
        perms = form.cleaned_data.get("permissions") or []
        token, secret = services.issue_token(
            ChangeContext.from_request(request, reason="admin"),
            name=obj.name,
            unit=obj.unit,
            permissions=[f"{p.content_type.app_label}.{p.codename}" for p in perms],
            expires_at=obj.expires_at,
        )
        obj.pk, obj.prefix, obj.key_hash = token.pk, token.prefix, token.key_hash
        obj._state.adding = False
        request._fc_admin_change = None  # type: ignore[attr-defined]
        messages.warning(
            request,
            _("Copy the token's secret now; it is not stored and will not be shown again: %s")
            % secret,
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if getattr(request, "_fc_admin_change", None) is None:
            return  # the service has set the permissions and written the audit row
        super().save_related(request, form, formsets, change)
