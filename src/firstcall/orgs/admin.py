from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from firstcall.core.admin import AuditedAdmin
from firstcall.core.audit import ChangeContext
from firstcall.orgs import services
from firstcall.orgs.models import OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ["name", "code", "level", "kind", "parent", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["name", "code"]
    readonly_fields = ["path", "depth"]
    ordering = ["path"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The place in the tree is set on creation; moving goes through the move service.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "parent", "level", "code"] if obj else fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        unit = services.create_unit(
            ChangeContext.from_request(request, reason="admin"),
            name=obj.name,
            code=obj.code,
            level=obj.level,
            kind=obj.kind,
            parent=obj.parent,
        )
        obj.pk, obj.path, obj.depth = unit.pk, unit.path, unit.depth
        obj._state.adding = False
        request._fc_admin_change = None  # type: ignore[attr-defined]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if getattr(request, "_fc_admin_change", None) is None:
            admin.ModelAdmin.save_related(self, request, form, formsets, change)
            return
        super().save_related(request, form, formsets, change)
