from typing import Any, Self

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from firstcall.core import clock
from firstcall.core.scope import path_q, paths_for, permission_name


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows how to limit itself to what a principal may see or do."""

    def restrict(self, principal: Any, action: str = "view") -> Self:
        paths = paths_for(principal, permission_name(self.model, action))
        if paths is None:
            return self
        if not paths:
            return self.none()
        return self.filter(self.model.scope_q(paths))  # type: ignore[attr-defined]


class ScopedModel(models.Model):
    """A model whose rows belong to an org unit; `scope_field` names the path to match."""

    scope_field = "unit__path"
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, paths: list[str]) -> Q:
        return path_q(cls.scope_field, paths)


class TimeStampedModel(models.Model):
    created = models.DateTimeField(_("created"), default=clock.now, editable=False)
    updated = models.DateTimeField(_("updated"), default=clock.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.updated = clock.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated"}
        super().save(*args, **kwargs)


class VersionedModel(TimeStampedModel):
    """One version of something kept in versions (a flow, a rule set): drafts are edited,
    publishing (`core.versions.publish_version`) makes one the version in use and retires the
    one before. The concrete model adds its parent, its content and its constraints."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.CharField(_("published by"), max_length=150, blank=True)

    class Meta:
        abstract = True


class ObjectChange(models.Model):
    """One audited write: who, when, from where, why, and the object before and after."""

    class Action(models.TextChoices):
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        DELETE = "delete", _("Delete")

    class Source(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("API")
        CLI = "cli", _("Command line")
        TASK = "task", _("Background task")
        SYSTEM = "system", _("System")

    time = models.DateTimeField(_("time"), default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor label"), max_length=150)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    request_id = models.CharField(_("request ID"), max_length=64, blank=True)
    job_id = models.CharField(_("job ID"), max_length=64, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    action = models.CharField(_("action"), max_length=40)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("object ID"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("object change")
        verbose_name_plural = _("object changes")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "time"])]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_repr}"
