from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from firstcall.core.admin import AuditedAdmin
from firstcall.core.scope import holds_everywhere
from firstcall.taxonomy.models import ComplaintType, Phenomenon, Scenario

# Saving goes through Model.save(), which recomputes a phenomenon's search text from its names.


class TaxonomyAdmin(AuditedAdmin):
    """The tree is shared by every org unit: only a permission held at headquarters changes it."""

    def _may(self, request: HttpRequest, action: str) -> bool:
        opts = self.opts
        return holds_everywhere(request.user, f"{opts.app_label}.{action}_{opts.model_name}")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and self._may(request, "add")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._may(request, "change")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._may(request, "delete")


@admin.register(Scenario)
class ScenarioAdmin(TaxonomyAdmin):
    list_display = ["code", "name_zh", "name_en", "position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name_zh", "name_en"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Tickets and flows refer to the code: fixed once created.
        return ["code"] if obj else []


@admin.register(ComplaintType)
class ComplaintTypeAdmin(ScenarioAdmin):
    list_display = ["code", "name_zh", "name_en", "scenario", "position", "is_active"]
    list_filter = ["scenario", "is_active"]
    list_select_related = ["scenario"]


@admin.register(Phenomenon)
class PhenomenonAdmin(ScenarioAdmin):
    list_display = [
        "code",
        "name_zh",
        "name_en",
        "complaint_type",
        "kind",
        "flow",
        "sla_policy",
        "is_active",
    ]
    list_filter = ["kind", "is_active", "complaint_type__scenario"]
    search_fields = ["code", "name_zh", "name_en", "search_text"]
    list_select_related = ["complaint_type__scenario"]
    raw_id_fields = ["parent"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), "search_text"]
