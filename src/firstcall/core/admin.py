from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.models import ObjectChange


class AuditedAdmin(admin.ModelAdmin):
    """Admin writes are write paths too: each save or delete leaves an audit row.

    Lists are limited to what the signed-in user may see, through restrict().
    """

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if hasattr(qs, "restrict"):
            return qs.restrict(request.user, "view")
        return qs

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
class ObjectChangeAdmin(admin.ModelAdmin):
    list_display = ["time", "actor_label", "source", "action", "content_type", "object_repr"]
    list_filter = ["source", "action", "content_type"]
    search_fields = ["actor_label", "object_repr", "request_id", "job_id", "reason"]
    date_hierarchy = "time"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
