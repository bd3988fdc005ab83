"""Reads of SLA clocks and notifications."""

from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from firstcall.core import clock
from firstcall.sla.models import Clock, Notification
from firstcall.tickets.models import Ticket


def clocks_for(ticket: Ticket) -> list[Clock]:
    """The ticket's clocks, oldest first, each with what is left of it now: `left` (a timedelta,
    negative when overdue; none for a stopped clock), `overdue` and `left_text`."""
    now = clock.now()
    clocks = list(Clock.objects.filter(ticket=ticket).select_related("policy"))
    for clk in clocks:
        left: timedelta | None = None
        if clk.state == Clock.State.RUNNING:
            left = clk.deadline - now
        elif clk.state == Clock.State.PAUSED and clk.paused_at is not None:
            left = clk.deadline - clk.paused_at
        extra: Any = clk
        extra.left = left
        extra.overdue = (left is not None and left < timedelta(0)) or clk.stopped_late
        extra.left_text = duration_text(abs(left)) if left is not None else ""
    return clocks


def is_late(ticket: Ticket) -> bool:
    """Whether closing the ticket must record a timeout reason (`models.TIMEOUT_REASONS`): one
    of its clocks breached, stopped late, or is live past its deadline (the worker not yet by)."""
    now = clock.now()
    past = Q(business_time=True, business_due_at__lt=now) | Q(business_time=False, due_at__lt=now)
    return (
        Clock.objects.filter(ticket=ticket)
        .filter(
            Q(breached_at__isnull=False)
            | Q(stopped_late=True)
            | (Q(state=Clock.State.RUNNING) & past)
        )
        .exists()
    )


def duration_text(span: timedelta) -> str:
    """A duration the way a list shows it: days, hours and minutes, the largest two."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": mins}
    return _("%(minutes)d min") % {"minutes": mins}


def notifications_for(
    user: Any, *, unread_only: bool = False, limit: int = 50
) -> list[Notification]:
    rows: QuerySet[Notification] = Notification.objects.filter(user=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return list(rows.select_related("ticket", "clock").order_by("-created", "-id")[: max(limit, 0)])


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
