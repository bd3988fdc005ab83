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


class OutboxMessage(models.Model):
    """A side effect recorded in the transaction of the change that causes it (an event for
    subscribers, a message to another system), delivered by a worker after the commit: at least
    once, retried with backoff, and `dead` after `max_attempts` failures until someone retries it.
    A row is due while `pending` with `next_attempt_at` passed and no live claim (`claimed_until`
    passed or empty); a worker that dies mid-delivery leaves it due again when its lease ends."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        DEAD = "dead", _("Dead")

    kind = models.CharField(_("kind"), max_length=100)
    key = models.CharField(_("key"), max_length=200, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveIntegerField(_("maximum attempts"), default=10)
    created = models.DateTimeField(_("created"), default=clock.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=clock.now)
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    origin = models.CharField(_("request or job"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending"),
                name="core_outbox_due",
            ),
            models.Index(fields=["state", "-id"], name="core_outbox_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key"], condition=~Q(key=""), name="core_outbox_kind_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class InboxMessage(models.Model):
    """A message received from another system, recorded once per `(source, external_id)`: the
    same message delivered again finds its row and changes nothing."""

    source = models.CharField(_("source"), max_length=64)
    external_id = models.CharField(_("external ID"), max_length=200)
    kind = models.CharField(_("kind"), max_length=100, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    received_at = models.DateTimeField(_("received at"), default=clock.now)

    class Meta:
        verbose_name = _("inbox message")
        verbose_name_plural = _("inbox messages")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="core_inbox_source_external_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"


class Timer(models.Model):
    """Something due at a time (a held call's resume reminder, an SLA clock, a scheduled job),
    armed in the transaction of the change that needs it. One timer per `(kind, key)`: arming it
    again moves it. A worker claims a due timer (one claim wins) and fires it once; a failed fire
    is retried with backoff, and `failed` after `max_attempts`."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        FIRED = "fired", _("Fired")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=100)
    key = models.CharField(_("key"), max_length=200)
    due_at = models.DateTimeField(_("due at"))
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    fired_at = models.DateTimeField(_("fired at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    armed_at = models.DateTimeField(_("armed at"), default=clock.now)

    class Meta:
        verbose_name = _("timer")
        verbose_name_plural = _("timers")
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(state="pending"), name="core_timer_due")
        ]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="core_timer_kind_key")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"
