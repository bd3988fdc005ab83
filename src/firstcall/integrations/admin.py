from django.contrib import admin

from firstcall.core.admin import AuditedAdmin, SuperuserAdmin
from firstcall.integrations.models import BackendSystem, CallLog


@admin.register(BackendSystem)
class BackendSystemAdmin(AuditedAdmin):
    list_display = ["name", "kind", "title", "base_url", "timeout_ms", "enabled"]
    list_filter = ["kind", "enabled"]
    # Credentials are write-only; they are changed on FirstCall's own system page.
    exclude = ["credentials"]


@admin.register(CallLog)
class CallLogAdmin(SuperuserAdmin):
    list_display = ["time", "system", "operation", "customer_key", "latency_ms", "outcome"]
    list_filter = ["system", "outcome"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
