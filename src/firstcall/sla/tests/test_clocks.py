"""SLA clocks under a frozen clock: the warning and the breach fire once each at the right business
time across a weekend and a holiday (and a make-up Saturday), a pause (deferral) moves the due
time and silences the timers meanwhile, the regulatory clock runs in calendar days, a stopped
clock records its use, and only the supervisors of the ticket's company hear of it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Q

from firstcall.core import clock
from firstcall.core.audit import ChangeContext
from firstcall.core.models import ObjectChange, Timer
from firstcall.core.worker import Worker
from firstcall.orgs.models import OrgUnit
from firstcall.sla import alarms, queries, services
from firstcall.sla.models import Clock, Notification
from firstcall.sla.seed import seed_sla
from firstcall.tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
Action = TicketEvent.Action


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


@pytest.fixture(autouse=True)
def _seeded():
    seed_sla(ChangeContext.for_cli("seed"))


def make_ticket(unit_code: str = "JS-NJ-OPS", priority: str = "normal", n: int = 1) -> Ticket:
    return Ticket.objects.create(
        code=f"TS{unit_code}{n}",
        kind=Ticket.Kind.COMPLAINT,
        status=Ticket.Status.ACCEPTING,
        unit=OrgUnit.objects.get(code=unit_code),
        customer_id="C0001",
        service_number="13900000001",
        priority=priority,
    )


def fire_due() -> int:
    return Worker(worker_id="w-sla", idle=0).fire_timers()


def events(ticket: Ticket, action: str) -> int:
    return TicketEvent.objects.filter(ticket=ticket, action=action).count()


def notified(ticket: Ticket, kind: str) -> set[str]:
    rows = Notification.objects.filter(ticket=ticket, kind=kind)
    return set(rows.values_list("user__username", flat=True))


def test_warning_and_breach_fire_once_each_at_business_time_across_a_weekend_and_a_holiday():
    ctx = ChangeContext.for_job("test")
    start = sh(2026, 4, 3, 17, 0)  # Friday; Qingming is Saturday 4 to Monday 6 April
    with clock.frozen(start):
        ticket = make_ticket()
        clk = services.start_clock(ctx, ticket, "accept", process="BO-COMPLAINT")
        # 30 minutes on Friday, none over the weekend and the holiday, 30 on Tuesday; the
        # warning at 80 % of the hour: 18 minutes into Tuesday.
        assert clk.business_time and clk.deadline == sh(2026, 4, 7, 9, 0)
        assert clk.warn_at == sh(2026, 4, 7, 8, 48)
        assert clk.due_at == sh(2026, 4, 3, 18, 0)  # the wall-clock reckoning, for the record
        assert ObjectChange.objects.filter(object_id=str(clk.pk), action="create").exists()

        clock.advance(sh(2026, 4, 7, 8, 47, 59) - start)
        fire_due()
        clk.refresh_from_db()
        assert clk.warned_at is None and events(ticket, Action.SLA_WARNED) == 0

        clock.advance(timedelta(seconds=1))
        fire_due()
        clk.refresh_from_db()
        assert clk.warned_at == sh(2026, 4, 7, 8, 48) and events(ticket, Action.SLA_WARNED) == 1
        assert notified(ticket, "warn") == {"js-nj-supervisor"}
        ticket.refresh_from_db()
        assert not ticket.overdue and ticket.priority == "normal"

        clock.advance(timedelta(minutes=11, seconds=59))  # 08:59:59
        fire_due()
        assert events(ticket, Action.SLA_BREACHED) == 0
        clock.advance(timedelta(seconds=1))
        fire_due()
        clk.refresh_from_db()
        ticket.refresh_from_db()
        assert clk.breached_at == sh(2026, 4, 7, 9, 0)
        assert ticket.overdue and ticket.priority == "high"  # raised one level by the policy
        assert events(ticket, Action.SLA_BREACHED) == 1
        assert notified(ticket, "breach") == {"js-nj-supervisor"}

        clock.advance(timedelta(days=3))
        assert fire_due() == 0
        # a handler run again (a timer redelivered) changes nothing
        alarms.on_breach(ctx, {"clock": clk.pk})
        alarms.on_warn(ctx, {"clock": clk.pk})
    assert events(ticket, Action.SLA_WARNED) == 1 and events(ticket, Action.SLA_BREACHED) == 1
    assert Notification.objects.filter(ticket=ticket).count() == 2
    ticket.refresh_from_db()
    assert ticket.priority == "high"


def test_a_pause_moves_the_due_time_and_silences_the_timers_until_resumed():
    ctx = ChangeContext.for_job("test")
    start = sh(2026, 2, 13, 16, 50)  # Friday before the Spring Festival; Saturday 14 is worked
    with clock.frozen(start):
        ticket = make_ticket()
        clk = services.start_clock(ctx, ticket, "accept", process="BO-COMPLAINT")
        assert clk.deadline == sh(2026, 2, 14, 8, 50)  # 40 min Friday, 20 on the make-up Saturday
        clock.advance(timedelta(minutes=10))  # Friday 17:00: 50 minutes left
        services.pause_clocks(ctx, ticket, "客户要求改约")
        clk.refresh_from_db()
        assert clk.state == "paused" and clk.paused_at == sh(2026, 2, 13, 17, 0)
        assert not Timer.objects.filter(key=str(clk.pk), kind__startswith="sla.").exists()

        clock.advance(sh(2026, 2, 14, 10, 0) - clock.now())  # Saturday 10:00, past the old due
        assert fire_due() == 0
        clk.refresh_from_db()
        assert clk.breached_at is None
        services.resume_clocks(ctx, ticket)
        clk.refresh_from_db()
        # 50 business minutes left at the pause are left from Saturday 10:00
        assert clk.state == "running" and clk.deadline == sh(2026, 2, 14, 10, 50)
        assert clk.due_at == sh(2026, 2, 14, 10, 50)  # wall-clock: 50 minutes left too
        assert clk.paused_seconds == 17 * 3600
        assert clk.paused_business_seconds == 120 * 60  # 30 on Friday, 90 on Saturday
        assert clk.warn_at == sh(2026, 2, 14, 10, 38)

        clock.advance(timedelta(minutes=49, seconds=59))
        fire_due()
        assert events(ticket, Action.SLA_BREACHED) == 0
        clock.advance(timedelta(seconds=1))
        fire_due()
        assert events(ticket, Action.SLA_BREACHED) == 1 and events(ticket, Action.SLA_WARNED) == 1


def test_a_stopped_clock_records_its_use_and_fires_nothing():
    ctx = ChangeContext.for_job("test")
    start = sh(2026, 3, 6, 17, 0)  # Friday
    with clock.frozen(start):
        ticket = make_ticket()
        services.start_clock(ctx, ticket, "accept", process="BO-COMPLAINT")
        again = services.start_clock(ctx, ticket, "accept", process="BO-COMPLAINT")
        assert Clock.objects.filter(ticket=ticket).count() == 1  # a double start is harmless
        clock.advance(sh(2026, 3, 9, 8, 40) - start)  # Monday 08:40
        services.stop_clock(ctx, ticket, "accept")
        again.refresh_from_db()
        assert again.state == "stopped" and not again.stopped_late
        assert again.business_seconds_used == 40 * 60
        assert again.wall_seconds_used == (63 * 60 + 40) * 60
        assert not Timer.objects.filter(key=str(again.pk), kind__startswith="sla.").exists()
        clock.advance(timedelta(days=2))
        assert fire_due() == 0
        services.stop_clock(ctx, ticket, "accept")  # nothing live: nothing to do
    assert events(ticket, Action.SLA_WARNED) == 0 and events(ticket, Action.SLA_BREACHED) == 0


def test_a_clock_stopped_after_its_deadline_is_late():
    ctx = ChangeContext.for_job("test")
    with clock.frozen(sh(2026, 3, 2, 9, 0)):
        ticket = make_ticket()
        services.start_clock(ctx, ticket, "accept", process="BO-COMPLAINT")
        clock.advance(timedelta(minutes=61))
        services.stop_clock(ctx, ticket, "accept")
    clk = Clock.objects.get(ticket=ticket)
    assert clk.stopped_late and clk.breached_at is None  # stopped before the worker came by
    assert queries.is_late(ticket)


def test_is_late_says_when_the_closure_needs_a_timeout_reason():
    ctx = ChangeContext.for_job("test")
    with clock.frozen(sh(2026, 3, 2, 9, 0)):
        ticket = make_ticket()
        services.start_clock(ctx, ticket, "accept", process="BO-COMPLAINT")
        clock.advance(timedelta(minutes=59))
        assert not queries.is_late(ticket)
        clock.advance(timedelta(minutes=2))
        assert queries.is_late(ticket)  # past the deadline, the breach timer not fired yet
        services.stop_clock(ctx, ticket, "accept")
        other = make_ticket(n=2)
        services.start_clock(ctx, other, "accept", process="BO-COMPLAINT")
        clock.advance(timedelta(minutes=30))
        services.stop_clock(ctx, other, "accept")
        assert queries.is_late(ticket) and not queries.is_late(other)


def test_the_regulatory_clock_counts_calendar_days_warns_on_day_10_and_alarms_on_day_13():
    ctx = ChangeContext.for_job("test")
    start = sh(2026, 9, 28, 10, 0)  # over the National Day week: calendar days all the same
    with clock.frozen(start):
        ticket = make_ticket()
        clk = services.start_clock(ctx, ticket, "regulatory", process="BO-COMPLAINT")
        assert not clk.business_time and clk.deadline == start + timedelta(days=15)
        assert clk.business_due_at == clk.due_at == clk.deadline
        services.pause_clocks(ctx, ticket, "延期")  # a deferral does not stop the law's days
        clk.refresh_from_db()
        assert clk.state == "running"
        for day, level in ((10, "warn"), (13, "alarm"), (15, "breach")):
            clock.advance(start + timedelta(days=day) - clock.now() - timedelta(seconds=1))
            fire_due()
            assert not Notification.objects.filter(ticket=ticket, kind=level).exists()
            clock.advance(timedelta(seconds=1))
            fire_due()
            assert notified(ticket, level) == {"js-nj-supervisor"}
    assert events(ticket, Action.SLA_WARNED) == 2 and events(ticket, Action.SLA_BREACHED) == 1


@pytest.mark.parametrize(
    ("unit_code", "included", "company"),
    [
        # the city's supervisor, not Suzhou's nor the province's nor headquarters'
        ("JS-NJ-OPS", "js-nj-supervisor", "JS-NJ"),
        ("JS-SZ-NOPT", "js-sz-supervisor", "JS-SZ"),
        ("JS-OPS", "js-reviewer", "JS"),  # a province ticket: the province's complaint reviewer
        ("HQ-OPS", "hq-reviewer", "HQ"),
    ],
)
def test_notifications_go_to_the_supervisors_of_the_tickets_company_only(
    unit_code, included, company
):
    from firstcall.accounts.models import Membership

    ctx = ChangeContext.for_job("test")
    with clock.frozen(sh(2026, 3, 2, 9, 0)):
        ticket = make_ticket(unit_code)
        services.start_clock(ctx, ticket, "accept", process="BO-COMPLAINT")
        clock.advance(timedelta(hours=2))
        fire_due()
    got = notified(ticket, "breach")
    assert included in got and notified(ticket, "warn") == got
    for username in got:  # every one holds a supervising role in exactly that company
        held = Membership.objects.filter(user__username=username).filter(
            Q(flow_role__code="reviewer") | Q(role__code="supervisor")
        )
        assert {m.unit.scope_path for m in held} == {OrgUnit.objects.get(code=company).path}


def test_the_clocks_of_a_ticket_show_what_is_left():
    ctx = ChangeContext.for_job("test")
    with clock.frozen(sh(2026, 3, 2, 9, 0)):
        ticket = make_ticket()
        services.start_clock(ctx, ticket, "accept", process="BO-COMPLAINT")
        services.start_clock(ctx, ticket, "handle", process="BO-COMPLAINT")
        clock.advance(timedelta(minutes=20))
        accept, handle = queries.clocks_for(ticket)
        assert accept.kind == "accept" and accept.left == timedelta(minutes=40)
        assert not accept.overdue and accept.left_text == "40分钟"
        clock.advance(timedelta(hours=1))
        accept, handle = queries.clocks_for(ticket)
        assert accept.overdue and accept.left == -timedelta(minutes=20)
        # 48 business hours from Monday 09:00, 9 a day: next Monday 12:00, 7 days 1 h 40 min away
        assert handle.deadline == sh(2026, 3, 9, 12, 0) and handle.left_text == "7天 1小时"


def test_an_unknown_clock_kind_is_refused():
    from firstcall.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.start_clock(ChangeContext.for_job("test"), make_ticket(), "lunch")
