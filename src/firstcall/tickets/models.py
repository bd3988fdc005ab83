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

    OPEN_STATUSES = (Status.OPEN, Status.HELD, Status.TRANSFERRED)

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

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["customer_id", "opened_at"])]

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

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    time = models.DateTimeField(_("time"), default=clock.now)
    actor = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["time", "id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action}"
