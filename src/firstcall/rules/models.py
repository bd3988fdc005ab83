"""Rule sets: decision tables kept as versioned data. A rule set declares the inputs it reads
(name and type) and the outputs it decides; each version holds its rows. The published version
is read at decision time, so publishing takes effect at once, without a restart."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from firstcall.core.models import TimeStampedModel, VersionedModel


class RuleSet(TimeStampedModel):
    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # {"name": {"type": "string|number|boolean|list", "label": "...", "example": ...}}
    inputs = models.JSONField(_("inputs"), default=dict)
    # {"name": {"label": "...", "choices": [...]}}: every output is a string
    outputs = models.JSONField(_("outputs"), default=dict)

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class RuleSetVersion(VersionedModel):
    """One version of a rule set's rows: [{"when": expr, "then": {output: expr}, "note": ""}].
    Rows are tried in order; the first whose condition holds decides (first-hit policy). An
    empty condition always holds."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="versions")
    rows = models.JSONField(_("rows"), default=list)
    note = models.CharField(_("change note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("rule set version")
        verbose_name_plural = _("rule set versions")
        ordering = ["rule_set", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "number"], name="rules_version_unique"),
            models.UniqueConstraint(
                fields=["rule_set"],
                condition=models.Q(status="published"),
                name="rules_one_published_version",
            ),
            models.UniqueConstraint(
                fields=["rule_set"],
                condition=models.Q(status="draft"),
                name="rules_one_draft_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_set.key} v{self.number}"
