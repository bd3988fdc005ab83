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
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    opened_at = models.DateTimeField(_("opened at"), default=clock.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

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
