from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from firstcall.core import clock
from firstcall.core.models import ScopedModel, TimeStampedModel


class Ticket(TimeStampedModel, ScopedModel):
    """A FirstCall ticket about one customer: the pre-processing ticket every call opens, and the
    fault and complaint tickets it may become. This is the record the unified view lists; the
    lifecycle (hold, convert, transfer, dispatch) is built on it by the guided pre-processing
    work."""

    class Kind(models.TextChoices):
        PREPROCESSING = "preprocessing", _("Pre-processing")
        FAULT = "fault", _("Fault")
        COMPLAINT = "complaint", _("Complaint")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        HELD = "held", _("Held")
        RESOLVED = "resolved", _("Resolved")
        CONVERTED = "converted", _("Converted")
        TRANSFERRED = "transferred", _("Transferred")
        CLOSED = "closed", _("Closed")
        # The back office's statuses (a fault or complaint ticket in a process).
        ACCEPTING = "accepting", _("Awaiting acceptance")
        IN_PROGRESS = "in_progress", _("In progress")
        REVIEWING = "reviewing", _("Awaiting review")
        DEFERRED = "deferred", _("Deferred")
        ARCHIVED = "archived", _("Archived")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        """工单来源: the channel a complaint came in through."""

        HOTLINE = "hotline", _("10000 hotline")
        ONLINE = "online", _("Online customer service")
        APP = "app", _("App")
        STORE = "store", _("Service hall")
        FIELD = "field", _("Field maintenance")
        ACCOUNT_MANAGER = "account_manager", _("Enterprise account manager")
        GROUP = "group", _("Group customer service (headquarters)")
        MIIT = "miit", _("MIIT appeal")
        REGULATOR = "regulator", _("Provincial regulator appeal")
        MEDIA = "media", _("Media exposure")
        LEADERSHIP = "leadership", _("Leadership supervision")
        CSS = "css", _("Customer-service system")

    class Span(models.TextChoices):
        """投诉来源: where the complaint was raised, which decides the process's span."""

        CITY = "city", _("Within a city")
        PROVINCE = "province", _("Within a province")
        CROSS_PROVINCE = "cross_province", _("Across provinces")
        HEADQUARTERS = "headquarters", _("Raised by headquarters")

    OPEN_STATUSES = (
        Status.OPEN,
        Status.HELD,
        Status.TRANSFERRED,
        Status.ACCEPTING,
        Status.IN_PROGRESS,
        Status.REVIEWING,
        Status.DEFERRED,
    )

    scope_field = "unit__path"

    code = models.CharField(_("ticket number"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+"
    )
    customer_id = models.CharField(_("customer ID"), max_length=40, db_index=True)
    service_number = models.CharField(_("service number"), max_length=40, db_index=True)
    phenomenon_code = models.CharField(_("phenomenon code"), max_length=40, blank=True)
    phenomenon = models.CharField(_("phenomenon"), max_length=200, blank=True)
    customer_level = models.CharField(_("customer level"), max_length=20, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    # What the caller said and where to call back, recorded during the call and carried into the
    # ticket the call is converted into.
    caller_description = models.CharField(_("caller's description"), max_length=1000, blank=True)
    callback_number = models.CharField(_("callback number"), max_length=20, blank=True)
    opened_at = models.DateTimeField(_("opened at"), default=clock.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    converted_from = models.ForeignKey(
        "self",
        verbose_name=_("converted from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="converted_to",
    )
    reply = models.TextField(_("reply to the customer"), blank=True)
    hold_reason = models.CharField(_("reason for holding"), max_length=300, blank=True)
    resume_at = models.DateTimeField(_("resume at"), null=True, blank=True)
    # Set when the held call's resume reminder fired (a timer): the call is due for resuming.
    reminded_at = models.DateTimeField(_("resume reminder at"), null=True, blank=True)
    receiving_group = models.CharField(_("receiving group"), max_length=200, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    # What the call found: the flow and version followed, the path, the evidence.
    diagnosis = models.JSONField(_("diagnosis"), default=dict, blank=True)
    # The back office (a ticket in a process: workflows.ProcessInstance).
    # 投诉来源: the channel it came from (10000 hotline, online, MIIT appeal, ...) and its span.
    source = models.CharField(_("source"), max_length=40, choices=Source.choices, blank=True)
    span = models.CharField(_("span"), max_length=20, choices=Span.choices, blank=True)
    # The customer-service system's serial number of a ticket it raised.
    css_serial = models.CharField(_("CSS serial number"), max_length=64, blank=True)
    complaint_type = models.CharField(_("complaint type"), max_length=40, blank=True)
    repeat_count = models.PositiveSmallIntegerField(_("repeat complaints in 30 days"), default=0)
    escalated = models.BooleanField(_("escalated complaint"), default=False)
    tier = models.CharField(_("handling tier"), max_length=2, blank=True)
    current_step = models.CharField(_("current step"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    overdue = models.BooleanField(_("overdue"), default=False)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["customer_id", "opened_at"]),
            models.Index(fields=["kind", "status", "opened_at"], name="tickets_kind_status_opened"),
            models.Index(fields=["css_serial"], name="tickets_css_serial"),
            # The back office's search, newest first (keyset on opened_at, id) over every kind.
            models.Index(fields=["opened_at", "id"], name="tickets_opened_id"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class TicketEvent(models.Model):
    """One line of a ticket's history: what happened, who did it, and any note."""

    class Action(models.TextChoices):
        OPENED = "opened", _("Opened")
        NOTE = "note", _("Note")
        RESOLVED = "resolved", _("Resolved at first contact")
        HELD = "held", _("Held")
        RESUMED = "resumed", _("Resumed")
        REMINDED = "reminded", _("Resume reminder due")
        CONVERTED = "converted", _("Converted")
        TRANSFERRED = "transferred", _("Transferred to the expert desk")
        CLAIMED = "claimed", _("Claimed")
        CLOSED = "closed", _("Closed")
        # The back office's operations.
        STARTED = "started", _("Process started")
        ACCEPTED = "accepted", _("Accepted")
        DISPATCHED = "dispatched", _("Dispatched")
        REDISPATCHED = "redispatched", _("Dispatched again")
        HANDED_OVER = "handed_over", _("Handed over")
        RETURNED = "returned", _("Returned to the sender")
        REJECTED = "rejected", _("Rejected to the level above")
        STAGE_REPLY = "stage_reply", _("Stage reply")
        STAGE_NOTICE = "stage_notice", _("Stage notice")
        CHASED = "chased", _("Chased")
        DEFERRAL_ASKED = "deferral_asked", _("Deferral requested")
        DEFERRAL_APPROVED = "deferral_ok", _("Deferral approved")
        DEFERRAL_REFUSED = "deferral_no", _("Deferral refused")
        HANDLED = "handled", _("Handled")
        REVIEW_PASSED = "review_passed", _("Quality check passed")
        REVIEW_FAILED = "review_failed", _("Quality check failed")
        REPLIED = "replied", _("Replied to the customer")
        ARCHIVED = "archived", _("Archived")
        CANCELLED = "cancelled", _("Cancelled")
        REOPENED = "reopened", _("Reopened")
        ESCALATED = "escalated", _("Moved to the second tier")
        SLA_WARNED = "sla_warned", _("Deadline approaching")
        SLA_BREACHED = "sla_breached", _("Deadline passed")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    time = models.DateTimeField(_("time"), default=clock.now)
    actor = models.CharField(_("actor"), max_length=150)
    # The user who acted, when a user did (the done list reads it); the worker and the CSS are
    # named by `actor` alone.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["time", "id"]
        indexes = [models.Index(fields=["user", "time"], name="tickets_event_user_time")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action}"
