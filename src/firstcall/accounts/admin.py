from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from firstcall.accounts.models import ApiToken, FlowRole, FunctionRole, Membership, User
from firstcall.core.admin import AuditedAdmin


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
    readonly_fields = ["prefix", "last_used_at", "created_by"]
    filter_horizontal = ["permissions"]
    # Secrets are issued by `firstcall issue-token` or the API, never typed into the admin.

    def has_add_permission(self, request: object) -> bool:
        return False
