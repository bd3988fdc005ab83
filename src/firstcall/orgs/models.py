from django.db import models
from django.utils.translation import gettext_lazy as _

from firstcall.core.models import ScopedModel, TimeStampedModel

PATH_STEP = 7  # "000042." — one segment of the materialised path per level


class OrgUnit(TimeStampedModel, ScopedModel):
    """A node of the org tree: headquarters > province > city > department or desk.

    `path` is the materialised path of primary keys ("000001.000004.000019."), so a subtree is one
    indexed prefix match on SQLite and PostgreSQL alike.
    """

    class Level(models.TextChoices):
        HEADQUARTERS = "headquarters", _("Headquarters")
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        DEPARTMENT = "department", _("Department or desk")

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        CUSTOMER_SERVICE = "customer_service", _("Customer-service centre")
        EXPERT_DESK = "expert_desk", _("Expert desk")
        OPERATIONS_INTERFACE = "operations_interface", _("Operations interface")
        NETWORK_OPTIMISATION = "network_optimisation", _("Network optimisation")
        NETWORK_MAINTENANCE = "network_maintenance", _("Network maintenance")
        FIELD_MAINTENANCE = "field_maintenance", _("Field maintenance")
        BILLING = "billing", _("Billing")
        COMPLAINT_CENTRE = "complaint_centre", _("Complaint centre")

    scope_field = "path"

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=40, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.COMPANY)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    # The path of the company (headquarters, province or city) this unit belongs to: a department or
    # desk works on its company's data, so memberships take their scope from here.
    scope_path = models.CharField(_("scope path"), max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_company(self) -> bool:
        return self.level != self.Level.DEPARTMENT
