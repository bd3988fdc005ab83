from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from firstcall.core.models import TimeStampedModel, VersionedModel


class Flow(TimeStampedModel):
    """A guided flow for one or more phenomena; its steps live in versions."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    phenomena = models.JSONField(_("phenomena"), default=list, blank=True)

    class Meta:
        verbose_name = _("guided flow")
        verbose_name_plural = _("guided flows")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name()}"

    def name(self) -> str:
        language = get_language() or "zh-hans"
        return self.name_en if language.startswith("en") and self.name_en else self.name_zh


class FlowVersion(VersionedModel):
    """One version of a flow's BPMN document. Drafts are edited; publishing validates and makes
    a version the one new calls follow; calls already under way keep the version they started."""

    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="versions")
    bpmn = models.TextField(_("BPMN 2.0 XML"))

    class Meta:
        verbose_name = _("flow version")
        verbose_name_plural = _("flow versions")
        ordering = ["flow", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["flow", "number"], name="navigation_version_unique"),
            models.UniqueConstraint(
                fields=["flow"],
                condition=models.Q(status="published"),
                name="navigation_one_published_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.flow.code} v{self.number} ({self.status})"


class NavigationSession(TimeStampedModel):
    """The guided part of one call: the flow version followed, where the agent stands, and the
    path so far (each step, the facts it decided on, the branch taken, how and when).

    It also keeps what first-contact resolution is measured on: the outcome, the duration, the
    deviations from the flow and the repairs made during the call."""

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("Resolved at first contact")
        HELD = "held", _("Held")
        FAULT = "fault", _("Converted to a fault ticket")
        COMPLAINT = "complaint", _("Converted to a complaint ticket")
        TRANSFERRED = "transferred", _("Transferred to the expert desk")

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="navigation"
    )
    version = models.ForeignKey(
        FlowVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("service number"), max_length=40)
    current_step = models.CharField(_("current step"), max_length=60, blank=True)
    path = models.JSONField(_("path"), default=list, blank=True)
    answers = models.JSONField(_("caller's answers"), default=dict, blank=True)
    deviations = models.PositiveIntegerField(_("deviations"), default=0)
    repairs = models.PositiveIntegerField(_("repairs"), default=0)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    duration_s = models.PositiveIntegerField(_("duration (s)"), null=True, blank=True)

    class Meta:
        verbose_name = _("navigation session")
        verbose_name_plural = _("navigation sessions")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.ticket_id} @ {self.current_step}"
