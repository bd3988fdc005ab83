"""Back-office processes: their BPMN definitions in versions, one running instance per ticket, and
the work items (the to-do index: one row per ready task, with who may act on it and when it is
due)."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from firstcall.core import clock
from firstcall.core.models import ScopedModel, TimeStampedModel, VersionedModel


class Process(TimeStampedModel):
    """A back-office process (移网投诉, 客户/业务投诉, 障碍单); its BPMN lives in versions."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    # The ticket kind the process works: "complaint" or "fault" (tickets.Ticket.Kind).
    ticket_kind = models.CharField(_("ticket kind"), max_length=16)

    class Meta:
        verbose_name = _("back-office process")
        verbose_name_plural = _("back-office processes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name()}"

    def name(self) -> str:
        language = get_language() or "zh-hans"
        return self.name_en if language.startswith("en") and self.name_en else self.name_zh


class ProcessVersion(VersionedModel):
    """One version of a process's BPMN 2.0 document. Publishing validates it (gateway conditions
    are rule-engine expressions; no script anywhere); a running ticket keeps its version."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="versions")
    bpmn = models.TextField(_("BPMN 2.0 XML"))

    class Meta:
        verbose_name = _("process version")
        verbose_name_plural = _("process versions")
        ordering = ["process", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["process", "number"], name="workflows_version_unique"),
            models.UniqueConstraint(
                fields=["process"],
                condition=models.Q(status="published"),
                name="workflows_one_published_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process.code} v{self.number} ({self.status})"


class ProcessInstance(TimeStampedModel):
    """The process a ticket is in: the version it started on, the engine's serialized state, the
    form answers and ticket fields the gateways read, and the path taken (for the diagram).
    `revision` is the optimistic lock: every step bumps it with a conditional UPDATE, so of two
    people acting at once one succeeds and the other gets a conflict."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="process_instance"
    )
    version = models.ForeignKey(ProcessVersion, on_delete=models.PROTECT, related_name="instances")
    state = models.JSONField(_("engine state"), default=dict)
    data = models.JSONField(_("process data"), default=dict, blank=True)
    # BPMN element ids of the tasks completed, in order (may repeat after a return).
    path = models.JSONField(_("path taken"), default=list, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    started_at = models.DateTimeField(_("started at"), default=clock.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("process instance")
        verbose_name_plural = _("process instances")

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.version_id} r{self.revision}"


class WorkItem(TimeStampedModel, ScopedModel):
    """One ready task of a ticket's process: the to-do index. Who may act: a member of `unit`'s
    subtree holding `flow_role` there (or the assignee once claimed). Done and cancelled rows are
    kept: the done list reads them."""

    class State(models.TextChoices):
        READY = "ready", _("Waiting")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    scope_field = "unit_path"

    instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE, related_name="items")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="items")
    # The engine's task id (a UUID) and its BPMN element id.
    task_id = models.CharField(_("task ID"), max_length=36)
    task_spec = models.CharField(_("step ID"), max_length=64)
    step_name = models.CharField(_("step"), max_length=200)
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+"
    )
    # The unit's path, copied so the to-do list filters on one indexed column.
    unit_path = models.CharField(_("unit path"), max_length=255)
    flow_role = models.CharField(_("flow role"), max_length=40)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.READY)
    priority = models.CharField(_("priority"), max_length=10, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What was done: the action the task was completed with ("dispatch", "return", ...).
    action = models.CharField(_("action"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task_id"], name="workflows_one_item_per_task"),
        ]
        indexes = [
            models.Index(
                fields=["state", "flow_role", "unit_path", "due_at"], name="workflows_todo_role"
            ),
            models.Index(fields=["assignee", "state", "due_at"], name="workflows_todo_assignee"),
            models.Index(fields=["ticket", "state"], name="workflows_item_ticket"),
            models.Index(fields=["done_by", "done_at"], name="workflows_done_by"),
            # The to-do in its order (due_at, id) over the ready items only: a page is the first
            # rows of it that the user's reach matches.
            models.Index(
                fields=["due_at", "id"],
                condition=models.Q(state="ready"),
                name="workflows_ready_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.task_spec} {self.state}"
