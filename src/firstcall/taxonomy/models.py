"""Complaint taxonomy: scenario (业务场景) > complaint type (投诉类型) > phenomenon (投诉现象).

The tree is global reference data, not owned by an org unit. Codes are the stable seed keys that
tickets and flows refer to; names exist in Chinese and English and are shown in the active language.
"""

from typing import Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from firstcall.core.models import TimeStampedModel
from firstcall.taxonomy import search_text


class Origin(models.TextChoices):
    SOURCE = "S", _("Operator source documents")
    DERIVED = "D", _("Derived from public material or practice")


class TicketKind(models.TextChoices):
    FAULT = "fault", _("Fault")
    COMPLAINT = "complaint", _("Complaint")
    CONSULT = "consult", _("Consultation")


class TaxonomyNode(TimeStampedModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    origin = models.CharField(
        _("origin"), max_length=1, choices=Origin.choices, default=Origin.DERIVED
    )

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name()}"

    def name(self) -> str:
        """The name in the active language: English for `en*`, Chinese otherwise."""
        language = get_language() or ""
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class Scenario(TaxonomyNode):
    class Meta(TaxonomyNode.Meta):
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")


class ComplaintType(TaxonomyNode):
    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.PROTECT, related_name="types"
    )
    # The regulator's appeal buckets: national 用户服务/网络质量/收费争议, provincial six classes.
    miit_national = models.CharField(_("MIIT national class"), max_length=10, blank=True)
    miit_provincial = models.CharField(_("MIIT provincial class"), max_length=10, blank=True)

    class Meta(TaxonomyNode.Meta):
        verbose_name = _("complaint type")
        verbose_name_plural = _("complaint types")


class Phenomenon(TaxonomyNode):
    complaint_type = models.ForeignKey(
        ComplaintType,
        verbose_name=_("complaint type"),
        on_delete=models.PROTECT,
        related_name="phenomena",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader phenomenon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="narrower",
    )
    kind = models.CharField(_("ticket kind"), max_length=10, choices=TicketKind.choices)
    flow = models.CharField(_("guided flow"), max_length=40, blank=True)
    sla_policy = models.CharField(_("default SLA policy"), max_length=40, blank=True)
    product_kinds = models.JSONField(
        _("product kinds"),
        default=list,
        blank=True,
        help_text=_("Products this phenomenon applies to, e.g. mobile, broadband; empty for any."),
    )
    error_code = models.CharField(_("error code"), max_length=10, blank=True)
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    class Meta(TaxonomyNode.Meta):
        verbose_name = _("phenomenon")
        verbose_name_plural = _("phenomena")

    def refresh_search_text(self) -> None:
        self.search_text = search_text.build(
            name_zh=self.name_zh, name_en=self.name_en, code=self.code
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived from the names and code, so it cannot go stale whichever path saves the row.
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)
