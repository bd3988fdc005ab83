"""Policy lookup (the most specific of province, process, priority wins), the province's calendar
over the default's days, and the seed: idempotent, with the province override working."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from firstcall.core import clock
from firstcall.core.audit import ChangeContext
from firstcall.orgs.models import OrgUnit
from firstcall.sla import services
from firstcall.sla.models import Calendar, CalendarDay, Policy
from firstcall.sla.policies import calendar_for, policy_for, province_of
from firstcall.sla.seed import seed_sla
from firstcall.sla.tests.test_clocks import make_ticket

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def test_the_most_specific_policy_wins():
    js, gd = unit("JS"), unit("GD")
    Policy.objects.get_or_create(process="", priority="", province=None, defaults={"name": "any"})
    process_only = Policy.objects.create(process="T-P", name="process")
    process_priority = Policy.objects.create(process="T-P", priority="high", name="p+prio")
    province_only = Policy.objects.create(province=js, name="JS any")
    province_process = Policy.objects.create(province=js, process="T-P", name="JS process")
    assert policy_for(process="T-P", priority="normal", province=gd) == process_only
    assert policy_for(process="T-P", priority="high", province=gd) == process_priority
    assert policy_for(process="T-P", priority="high", province=None) == process_priority
    # a province match outweighs a process and priority match
    assert policy_for(process="OTHER", priority="high", province=js) == province_only
    assert policy_for(process="T-P", priority="high", province=js) == province_process
    assert policy_for(process="OTHER", priority="", province=gd).process == ""


def test_no_policy_at_all_gives_the_built_in_defaults():
    Policy.objects.all().delete()
    fallback = policy_for(process="X", priority="", province=None)
    assert fallback.pk is None and fallback.accept_minutes == 60 and fallback.handle_hours == 48
    with clock.frozen(datetime(2026, 3, 2, 9, 0, tzinfo=SH)):
        clk = services.start_clock(ChangeContext.for_job("test"), make_ticket(), "accept")
    assert clk.policy.pk and clk.deadline == datetime(2026, 3, 2, 10, 0, tzinfo=SH)


def test_the_province_of_a_unit():
    assert province_of(unit("JS-NJ-OPS")) == unit("JS")
    assert province_of(unit("JS")) == unit("JS")
    assert province_of(unit("HQ-OPS")) is None


def test_the_seed_is_idempotent_and_its_jiangsu_override_applies():
    ctx = ChangeContext.for_cli("seed")
    seed_sla(ctx)
    counts = (Policy.objects.count(), CalendarDay.objects.count(), Calendar.objects.count())
    seed_sla(ctx)
    assert (Policy.objects.count(), CalendarDay.objects.count(), Calendar.objects.count()) == counts
    assert CalendarDay.objects.get(date=date(2026, 2, 14)).kind == "workday"
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).kind == "holiday"
    with clock.frozen(datetime(2026, 3, 2, 9, 0, tzinfo=SH)):
        js_high = make_ticket("JS-NJ-OPS", "high", n=1)
        gd_high = make_ticket("GD-GZ-OPS", "high", n=2)
        js_normal = make_ticket("JS-NJ-OPS", "normal", n=3)
        got = {
            t.code: services.start_clock(ctx, t, "accept", process="BO-COMPLAINT").policy
            for t in (js_high, gd_high, js_normal)
        }
        fault = services.start_clock(ctx, js_normal, "handle", process="BO-FAULT")
    assert got[js_high.code].accept_minutes == 30 and got[js_high.code].province == unit("JS")
    assert got[gd_high.code].accept_minutes == 60 and got[gd_high.code].process == "BO-COMPLAINT"
    assert got[js_normal.code].province is None
    # faults count wall-clock time: 48 hours round the clock
    assert not fault.business_time
    assert fault.deadline == datetime(2026, 3, 4, 9, 0, tzinfo=SH)


def test_a_provinces_calendar_keeps_the_default_days_and_its_own_hours():
    seed_sla(ChangeContext.for_cli("seed"))
    own = Calendar.objects.create(
        province=unit("GD"), name="广东", work_start=time(9, 0), work_end=time(18, 0)
    )
    CalendarDay.objects.create(calendar=own, date=date(2026, 3, 3), kind="holiday")
    gd, js = calendar_for(unit("GD")), calendar_for(unit("JS"))
    assert gd.start == time(9, 0) and js.start == time(8, 30)
    assert date(2026, 10, 1) in gd.holidays and date(2026, 2, 14) in gd.workdays
    assert not gd.is_working_day(date(2026, 3, 3)) and js.is_working_day(date(2026, 3, 3))
    monday = datetime(2026, 3, 2, 17, 30, tzinfo=SH)
    assert gd.add(monday, timedelta(hours=1)) == datetime(2026, 3, 4, 9, 30, tzinfo=SH)
