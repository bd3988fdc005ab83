"""Policies and calendars are data: superusers edit them here (audited); clocks and notifications
are shown, never edited (the services and the timers write them)."""

from django.contrib import admin

from firstcall.core.admin import AuditedAdmin, ReadOnlyAdmin
from firstcall.sla.models import Calendar, CalendarDay, Clock, Notification, Policy


@admin.register(Policy)
class PolicyAdmin(AuditedAdmin):
    list_display = [
        "name",
        "process",
        "priority",
        "province",
        "accept_minutes",
        "handle_hours",
        "t1_hours",
        "regulatory_days",
        "business_time",
    ]
    list_filter = ["process", "priority", "business_time"]


@admin.register(Calendar)
class CalendarAdmin(AuditedAdmin):
    list_display = ["name", "province", "zone", "work_start", "work_end"]


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    list_display = ["date", "kind", "name", "calendar"]
    list_filter = ["calendar", "kind"]
    date_hierarchy = "date"


@admin.register(Clock)
class ClockAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "kind", "state", "started_at", "due_at", "business_due_at"]
    list_filter = ["kind", "state", "stopped_late"]
    raw_id_fields = ["ticket"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created", "user", "kind", "ticket", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["ticket", "user", "clock"]
