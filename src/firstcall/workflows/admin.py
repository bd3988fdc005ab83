"""The back office's processes, versions, instances and work items, shown to superusers and never
edited here: a version is published through `workflows.services.publish_version` (validated),
and instances and work items move only through the operations."""

from django.contrib import admin

from firstcall.core.admin import ReadOnlyAdmin
from firstcall.workflows.models import Process, ProcessInstance, ProcessVersion, WorkItem


@admin.register(Process)
class ProcessAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_zh", "name_en", "ticket_kind"]


@admin.register(ProcessVersion)
class ProcessVersionAdmin(ReadOnlyAdmin):
    list_display = ["process", "number", "status", "published_at", "published_by"]
    list_filter = ["process", "status"]


@admin.register(ProcessInstance)
class ProcessInstanceAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "version", "status", "revision", "started_at", "ended_at"]
    list_filter = ["status", "version__process"]
    raw_id_fields = ["ticket"]
    exclude = ["state"]


@admin.register(WorkItem)
class WorkItemAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "step_name", "unit", "flow_role", "state", "assignee", "due_at"]
    list_filter = ["state", "flow_role"]
    raw_id_fields = ["ticket", "instance", "assignee", "done_by"]
