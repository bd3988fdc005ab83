"""SLA policies, business calendars, clocks and the notifications they raise."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from firstcall.core import clock as core_clock
from firstcall.core.models import TimeStampedModel


class Kind(models.TextChoices):
    """What a clock times. `handle` is the whole handling limit (T1 + T2); `t1` and `t2` are its
    stages, started by the process when a tier takes the ticket."""

    ACCEPT = "accept", _("Acceptance limit")
    HANDLE = "handle", _("Handling limit")
    T1 = "t1", _("First-tier handling limit")
    T2 = "t2", _("Second-tier handling limit")
    REGULATORY = "regulatory", _("Regulatory reply limit")


# sla.md B1: the reasons a late ticket's closure records (plus free text).
TIMEOUT_REASONS = [
    ("no_contact", _("Could not reach the customer")),
    ("volume_surge", _("Ticket volume surged, not enough handlers")),
    ("customer_time", _("The customer asked for another time")),
    ("refund_approval", _("Refund approval took long")),
    ("cancel_approval", _("Contract-termination approval took long")),
    ("other", _("Other (explain)")),
]


class Policy(TimeStampedModel):
    """The limits a ticket's clocks run to. Which policy applies: the most specific match of
    province, then process, then priority (a blank field matches anything); see
    `policies.policy_for`."""

    process = models.CharField(_("process"), max_length=40, blank=True)
    priority = models.CharField(_("priority"), max_length=10, blank=True)
    province = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100)
    accept_minutes = models.PositiveIntegerField(_("acceptance limit (minutes)"), default=60)
    handle_hours = models.PositiveIntegerField(_("handling limit (hours)"), default=48)
    t1_hours = models.PositiveIntegerField(_("first-tier share (hours)"), default=24)
    regulatory_days = models.PositiveIntegerField(_("regulatory limit (days)"), default=15)
    regulatory_warn_day = models.PositiveIntegerField(_("regulatory warning on day"), default=10)
    regulatory_alarm_day = models.PositiveIntegerField(_("regulatory alarm on day"), default=13)
    # The warning comes when this share of the limit is used (0.8: at 80 %), or, when
    # `warn_minutes` is set, that many minutes before the due time.
    warn_fraction = models.FloatField(_("warn when this share is used"), default=0.8)
    warn_minutes = models.PositiveIntegerField(_("warn minutes before"), null=True, blank=True)
    raise_priority = models.BooleanField(_("raise the priority on breach"), default=True)
    business_time = models.BooleanField(_("count business time only"), default=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["process", "priority", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "priority", "province"], name="sla_policy_unique_match"
            ),
            models.UniqueConstraint(
                fields=["process", "priority"],
                condition=Q(province__isnull=True),
                name="sla_policy_unique_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def limit(self, kind: str) -> timedelta:
        if kind == Kind.ACCEPT:
            return timedelta(minutes=self.accept_minutes)
        if kind == Kind.HANDLE:
            return timedelta(hours=self.handle_hours)
        if kind == Kind.T1:
            return timedelta(hours=min(self.t1_hours, self.handle_hours))
        if kind == Kind.T2:
            return timedelta(hours=max(self.handle_hours - self.t1_hours, 0))
        return timedelta(days=self.regulatory_days)


class Calendar(TimeStampedModel):
    """Working hours and the days off and make-up working days of a province (`province` null:
    the default calendar, used where a province has none). A province's calendar keeps the
    default's days and adds its own (its own wins on the same date)."""

    province = models.OneToOneField(
        "orgs.OrgUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    zone = models.CharField(_("time zone"), max_length=40, default="Asia/Shanghai")
    work_start = models.TimeField(_("working hours start"), default=time(8, 30))
    work_end = models.TimeField(_("working hours end"), default=time(17, 30))

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self) -> str:
        return self.name


class CalendarDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKDAY = "workday", _("Make-up working day")

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="sla_calendarday_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"


class Clock(TimeStampedModel):
    """One SLA clock of a ticket. `due_at` is the due moment counted in wall-clock time,
    `business_due_at` counted in business time; `deadline` is the one the policy counts in, and
    the breach timer fires at it. Pauses move both by the time paused."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        STOPPED = "stopped", _("Stopped")

    LIVE = (State.RUNNING, State.PAUSED)

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="clocks")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="+")
    business_time = models.BooleanField(_("count business time only"), default=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.RUNNING)
    started_at = models.DateTimeField(_("started at"), default=core_clock.now)
    due_at = models.DateTimeField(_("due at (wall-clock time)"))
    business_due_at = models.DateTimeField(_("due at (business time)"))
    warn_at = models.DateTimeField(_("warn at"), null=True, blank=True)
    alarm_at = models.DateTimeField(_("alarm at"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    pause_reason = models.CharField(_("reason for pausing"), max_length=300, blank=True)
    paused_seconds = models.PositiveIntegerField(_("seconds paused"), default=0)
    paused_business_seconds = models.PositiveIntegerField(_("business seconds paused"), default=0)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)
    alarmed_at = models.DateTimeField(_("alarmed at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    stopped_late = models.BooleanField(_("stopped late"), default=False)
    wall_seconds_used = models.PositiveIntegerField(_("seconds used"), null=True, blank=True)
    business_seconds_used = models.PositiveIntegerField(
        _("business seconds used"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "kind"],
                condition=Q(state__in=["running", "paused"]),
                name="sla_clock_one_live_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.state}"

    @property
    def deadline(self) -> datetime:
        return self.business_due_at if self.business_time else self.due_at

    @property
    def is_live(self) -> bool:
        return self.state in self.LIVE


class Notification(models.Model):
    class Kind(models.TextChoices):
        WARN = "warn", _("Deadline approaching")
        ALARM = "alarm", _("Deadline alarm")
        BREACH = "breach", _("Deadline passed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sla_notifications"
    )
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    clock = models.ForeignKey(Clock, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"), default=core_clock.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["user", "-created", "-id"], name="sla_notification_list"),
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="sla_notification_unread"
            ),
        ]
        constraints = [
            # A timer fires once; this makes a second notification of the same alarm impossible.
            models.UniqueConstraint(fields=["user", "clock", "kind"], name="sla_notification_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.ticket_id}"
