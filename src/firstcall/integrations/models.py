from django.db import models
from django.utils.translation import gettext_lazy as _

from firstcall.core import clock
from firstcall.core.models import TimeStampedModel
from firstcall.integrations.crypto import EncryptedJSONField


class SystemKind(models.TextChoices):
    CRM = "crm", _("CRM")
    BILLING = "billing", _("Billing")
    OCS = "ocs", _("Online charging (OCS)")
    HLR = "hlr", _("HLR")
    AAA = "aaa", _("AAA")
    NMS = "nms", _("Access-network NMS")
    RESOURCES = "resources", _("Resources")
    ALARMS = "alarms", _("Alarms")
    PROVISIONING = "provisioning", _("Service provisioning")
    SMSC = "smsc", _("SMS centre")
    VAS = "vas", _("VAS platform")
    IPTV = "iptv", _("IPTV platform")
    PCRF = "pcrf", _("PCRF")
    POINTS = "points", _("Points")
    GIS = "gis", _("Coverage (GIS)")


class BackendSystem(TimeStampedModel):
    """One operator system FirstCall talks to. Configuration is data, changed in the UI."""

    name = models.SlugField(_("name"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SystemKind.choices)
    title = models.CharField(_("title"), max_length=100)
    base_url = models.URLField(_("base URL"), max_length=300)
    credentials = EncryptedJSONField(_("credentials"), blank=True, default=dict)
    timeout_ms = models.PositiveIntegerField(_("timeout (ms)"), default=800)
    retries = models.PositiveSmallIntegerField(_("retries of idempotent reads"), default=1)
    failure_threshold = models.PositiveSmallIntegerField(
        _("failures that open the breaker"), default=5
    )
    open_seconds = models.PositiveIntegerField(_("seconds the breaker stays open"), default=15)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("back-end system")
        verbose_name_plural = _("back-end systems")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.title or self.name


class CallLog(models.Model):
    """One call to a back end: what, for which (masked) customer, how long, and how it ended."""

    class Outcome(models.TextChoices):
        OK = "ok", _("OK")
        ERROR = "error", _("Error")
        TIMEOUT = "timeout", _("Timeout")
        REJECTED = "rejected", _("Breaker open")

    time = models.DateTimeField(_("time"), default=clock.now)
    system = models.CharField(_("system"), max_length=40)
    operation = models.CharField(_("operation"), max_length=60)
    customer_key = models.CharField(_("customer (masked)"), max_length=40, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    request_id = models.CharField(_("request ID"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("back-end call")
        verbose_name_plural = _("back-end calls")
        ordering = ["-time", "-id"]
        indexes = [
            models.Index(fields=["system", "time"]),
            models.Index(fields=["time"]),
        ]

    def __str__(self) -> str:
        return f"{self.system}.{self.operation} {self.outcome}"
