from django.db import models
from django.utils.translation import gettext_lazy as _

from firstcall.core import clock
from firstcall.core.models import ScopedModel, TimeStampedModel


class CachedRead(models.Model):
    """One back-end read kept for the length of a call, so panels and flow steps ask once.

    Rows live in the database, not in process memory: the panels of one screen may be served by
    different processes. Only answers are kept (data, or the system's "no such record"); faults are
    never cached, so a retry asks the system again."""

    number = models.CharField(_("service number"), max_length=40)
    key = models.CharField(_("read"), max_length=200)  # "system.operation:arg|arg"
    system = models.CharField(_("system"), max_length=40)
    found = models.BooleanField(_("found"), default=True)
    data = models.JSONField(_("data"), null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), default=0)
    fetched_at = models.DateTimeField(_("fetched at"), default=clock.now)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("cached read")
        verbose_name_plural = _("cached reads")
        constraints = [
            models.UniqueConstraint(fields=["number", "key"], name="customers_cachedread_unique")
        ]

    def __str__(self) -> str:
        return self.key


class Repair(TimeStampedModel, ScopedModel):
    """One repair command sent to a platform to make it agree with CRM, and what came of it.

    The row is written (pending) before the command leaves, in a transaction of its own, so
    nothing is sent unrecorded; the outcome, the verifying read-back and the platform state after
    are written when the command returns, in a second one. At most one row per platform record and
    repair is pending at a time (a partial unique constraint): a double click, a second agent or a
    second process gets the database's refusal instead of sending the command again. `key` is the
    idempotency key the platform receives, one per attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Repaired")
        # The command did not reach the platform or the platform could not carry it out.
        NOT_MADE = "not_made", _("Not made")
        REFUSED = "refused", _("Refused by the platform")
        # The command was sent, but the platform could not be read back to check it.
        UNVERIFIED = "unverified", _("Not verified")
        # The command was sent and the platform read back still differs from CRM.
        FAILED = "failed", _("Failed: still differs")

    scope_field = "unit__path"

    key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("service number"), max_length=40, db_index=True)
    product_type = models.CharField(_("product type"), max_length=20)
    target = models.CharField(_("platform key"), max_length=60)
    system = models.CharField(_("system"), max_length=40)
    operation = models.CharField(_("operation"), max_length=60)
    arguments = models.JSONField(_("further arguments"), default=list, blank=True)
    mismatches = models.JSONField(_("mismatches"), default=list)
    before = models.JSONField(_("platform before"), null=True, blank=True)
    after = models.JSONField(_("platform after"), null=True, blank=True)
    result = models.JSONField(_("command answer"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    verified = models.BooleanField(_("verified by a re-read"), default=False)
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    requested_by = models.CharField(_("requested by"), max_length=150)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("repair")
        verbose_name_plural = _("repairs")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "operation", "target"],
                condition=models.Q(status="pending"),
                name="customers_repair_one_pending",
            )
        ]
        indexes = [
            models.Index(
                fields=["created"],
                condition=models.Q(status="pending"),
                name="customers_repair_pending",
            ),
            models.Index(
                fields=["system", "operation", "target", "-created"],
                name="customers_repair_fix",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system}.{self.operation} {self.status}"

    @property
    def fix_id(self) -> str:
        return f"{self.system}.{self.operation}:{self.target}"
