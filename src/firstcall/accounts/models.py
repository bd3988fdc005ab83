from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Permission, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from firstcall.core import clock
from firstcall.core.models import RestrictedQuerySet, ScopedModel, TimeStampedModel
from firstcall.core.scope import path_q


class FunctionRole(TimeStampedModel):
    """A set of permissions: which screens a holder may open and which actions they may take."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    permissions = models.ManyToManyField(
        Permission, verbose_name=_("permissions"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("function role")
        verbose_name_plural = _("function roles")
        ordering = ["code"]
        permissions = [
            ("use_agent_workbench", _("Can use the agent workbench")),
            ("use_expert_desk", _("Can work the expert desk")),
            ("use_back_office", _("Can work back-office tickets")),
            ("view_reports", _("Can view reports")),
            ("configure_flows", _("Can configure flows and rules")),
        ]

    def __str__(self) -> str:
        return self.name


class FlowRole(models.Model):
    """Who may act on which steps of a flow: agent, expert, dispatcher, handler, reviewer, admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("flow role")
        verbose_name_plural = _("flow roles")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(RestrictedQuerySet):
    pass


class FirstCallUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person who signs in. What they may do, and where, comes from their memberships."""

    name = models.CharField(_("full name"), max_length=100, blank=True)
    # The interface language the user chose; empty: FirstCall's default (zh-hans), whatever the
    # browser asks for.
    language = models.CharField(
        _("language"), max_length=10, blank=True, choices=settings.LANGUAGES
    )

    objects: ClassVar[FirstCallUserManager] = FirstCallUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.name or self.username

    @classmethod
    def scope_q(cls, paths: list[str]) -> Q:
        # A user belongs wherever they hold a membership.
        return Q(pk__in=Membership.objects.filter(path_q("unit__path", paths)).values("user_id"))

    def _permission_paths(self) -> dict[str, set[str]]:
        cached: dict[str, set[str]] | None = getattr(self, "_fc_permission_paths", None)
        if cached is None:
            cached = {}
            memberships = Membership.objects.filter(user=self, unit__is_active=True).values_list(
                "unit__scope_path",
                "role__permissions__content_type__app_label",
                "role__permissions__codename",
            )
            for path, app_label, codename in memberships:
                if codename:
                    cached.setdefault(f"{app_label}.{codename}", set()).add(path)
            self._fc_permission_paths = cached
        return cached

    def scope_paths(self, permission: str) -> list[str] | None:
        if not self.is_active:
            return []
        if self.is_superuser:
            return None
        return sorted(self._permission_paths().get(permission, ()))

    def role_permissions(self) -> set[str]:
        return set(self._permission_paths())

    def forget_permission_cache(self) -> None:
        for attr in (
            "_fc_permission_paths",
            "_perm_cache",
            "_user_perm_cache",
            "_group_perm_cache",
        ):
            self.__dict__.pop(attr, None)


class Membership(TimeStampedModel, ScopedModel):
    """A user holds a function role (and optionally a flow role) in an org unit.

    The role applies across the unit's company: a desk in a city works on the whole city's data.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.ForeignKey(
        FunctionRole, verbose_name=_("function role"), on_delete=models.PROTECT, related_name="+"
    )
    flow_role = models.ForeignKey(
        FlowRole,
        verbose_name=_("flow role"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"], name="accounts_membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit} ({self.role})"


class ApiToken(TimeStampedModel, ScopedModel):
    """A credential for another system: scoped to one org unit subtree and a set of permissions.

    Only a SHA-256 of the secret is stored; the secret is shown once, when the token is issued.
    """

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+"
    )
    permissions = models.ManyToManyField(
        Permission, verbose_name=_("permissions"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        User,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    # The token acts as a principal for restrict().
    is_authenticated = True
    is_superuser = False

    @property
    def token_label(self) -> str:
        return f"token:{self.name}"[:150]

    def is_usable(self) -> bool:
        return self.is_active and (self.expires_at is None or self.expires_at > clock.now())

    def permission_names(self) -> set[str]:
        cached: set[str] | None = getattr(self, "_fc_permissions", None)
        if cached is None:
            cached = {
                f"{app}.{codename}"
                for app, codename in self.permissions.values_list(
                    "content_type__app_label", "codename"
                )
            }
            self._fc_permissions = cached
        return cached

    def scope_paths(self, permission: str) -> list[str] | None:
        if not self.is_usable() or permission not in self.permission_names():
            return []
        return [self.unit.path]

    def has_perm(self, permission: str, obj: Any = None) -> bool:
        return self.is_usable() and permission in self.permission_names()


class LoginThrottle(models.Model):
    """Failed sign-ins counted per username and per client address."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    window_start = models.DateTimeField(_("window start"), default=clock.now)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")

    def __str__(self) -> str:
        return self.key
