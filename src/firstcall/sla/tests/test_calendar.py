"""Business-time arithmetic: working hours, weekends, holidays, make-up working days, and moments
given in UTC or another zone (the business day is Shanghai's)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from firstcall.sla.calendar import BusinessCalendar

SH = ZoneInfo("Asia/Shanghai")
# Qingming 2026: Saturday 4 April to Monday 6 April off. Spring Festival 2026: 15-23 February off,
# Saturday 14 February worked.
CAL = BusinessCalendar(
    holidays=frozenset({date(2026, 4, 4), date(2026, 4, 5), date(2026, 4, 6)})
    | frozenset(date(2026, 2, 15) + timedelta(days=i) for i in range(9)),
    workdays=frozenset({date(2026, 2, 14), date(2026, 2, 28)}),
)


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


def test_adding_inside_a_working_day():
    assert CAL.add(sh(2026, 3, 2, 9, 0), timedelta(minutes=60)) == sh(2026, 3, 2, 10, 0)
    assert CAL.add(sh(2026, 3, 2, 9, 0), timedelta(0)) == sh(2026, 3, 2, 9, 0)
    # up to closing exactly: due at 17:30, not at the next opening
    assert CAL.add(sh(2026, 3, 2, 17, 0), timedelta(minutes=30)) == sh(2026, 3, 2, 17, 30)


def test_a_moment_outside_working_hours_counts_from_the_next_opening():
    assert CAL.add(sh(2026, 3, 2, 6, 0), timedelta(minutes=10)) == sh(2026, 3, 2, 8, 40)
    assert CAL.add(sh(2026, 3, 2, 20, 0), timedelta(minutes=10)) == sh(2026, 3, 3, 8, 40)


def test_adding_across_a_weekend():
    friday = sh(2026, 3, 6, 17, 0)
    assert CAL.add(friday, timedelta(minutes=60)) == sh(2026, 3, 9, 9, 0)  # Monday
    assert CAL.between(friday, sh(2026, 3, 9, 9, 0)) == timedelta(minutes=60)


def test_adding_across_a_weekend_and_a_holiday_monday():
    friday = sh(2026, 4, 3, 17, 0)  # Qingming: Saturday to Monday off
    assert CAL.add(friday, timedelta(minutes=60)) == sh(2026, 4, 7, 9, 0)  # Tuesday
    assert CAL.between(friday, sh(2026, 4, 7, 9, 0)) == timedelta(minutes=60)
    assert CAL.between(sh(2026, 4, 4, 10, 0), sh(2026, 4, 6, 16, 0)) == timedelta(0)


def test_a_make_up_saturday_is_a_working_day_and_the_festival_is_not():
    friday = sh(2026, 2, 13, 17, 0)
    assert CAL.add(friday, timedelta(minutes=60)) == sh(2026, 2, 14, 9, 0)  # make-up Saturday
    saturday = sh(2026, 2, 14, 17, 0)
    # 30 minutes left on Saturday, then nine days off: Tuesday 24 February
    assert CAL.add(saturday, timedelta(minutes=60)) == sh(2026, 2, 24, 9, 0)
    assert CAL.is_working_day(date(2026, 2, 14)) and not CAL.is_working_day(date(2026, 2, 16))
    assert CAL.is_working_day(date(2026, 2, 28))  # the second make-up Saturday
    assert not CAL.is_working_day(date(2026, 3, 7))  # an ordinary Saturday


def test_several_days_of_business_time():
    # 24 business hours from Monday 09:00, 9 hours a day: Monday 8.5 h, Tuesday 9 h, Wednesday
    # 6.5 h -> Wednesday 15:00.
    assert CAL.add(sh(2026, 3, 2, 9, 0), timedelta(hours=24)) == sh(2026, 3, 4, 15, 0)
    assert CAL.between(sh(2026, 3, 2, 9, 0), sh(2026, 3, 4, 15, 0)) == timedelta(hours=24)


def test_utc_inputs_count_the_shanghai_business_day_and_the_result_is_utc():
    # Friday 2026-03-06 23:30 UTC is Saturday 07:30 in Shanghai: the next opening is Monday.
    start = datetime(2026, 3, 6, 23, 30, tzinfo=UTC)
    due = CAL.add(start, timedelta(minutes=30))
    assert due == sh(2026, 3, 9, 9, 0)
    assert due.tzinfo == UTC and due == datetime(2026, 3, 9, 1, 0, tzinfo=UTC)
    # Monday 00:30 UTC is Monday 08:30 in Shanghai, the opening.
    assert CAL.between(datetime(2026, 3, 9, 0, 30, tzinfo=UTC), due) == timedelta(minutes=30)
    new_york = ZoneInfo("America/New_York")
    # Sunday 20:00 in New York (daylight time since that morning) is Monday 08:00 in Shanghai.
    sunday_evening = datetime(2026, 3, 8, 20, 0, tzinfo=new_york)
    assert CAL.add(sunday_evening, timedelta(minutes=1)) == sh(2026, 3, 9, 8, 31)


def test_between_is_signed_and_add_then_between_agree():
    a, b = sh(2026, 2, 12, 10, 0), sh(2026, 2, 26, 11, 0)
    assert CAL.between(b, a) == -CAL.between(a, b)
    for minutes in (1, 59, 60, 540, 541, 3000, 9000):
        assert CAL.between(a, CAL.add(a, timedelta(minutes=minutes))) == timedelta(minutes=minutes)


def test_other_working_hours_and_bad_input():
    late = BusinessCalendar(start=time(9, 0), end=time(18, 0))
    assert late.add(sh(2026, 3, 2, 17, 0), timedelta(hours=2)) == sh(2026, 3, 3, 10, 0)
    with pytest.raises(ValueError):
        CAL.add(datetime(2026, 3, 2, 9, 0), timedelta(minutes=1))  # naive
    with pytest.raises(ValueError):
        CAL.add(sh(2026, 3, 2, 9, 0), timedelta(minutes=-1))
    with pytest.raises(ValueError):
        BusinessCalendar(start=time(18, 0), end=time(9, 0))
    never = BusinessCalendar(weekend=frozenset(range(7)))
    with pytest.raises(ValueError):
        never.add(sh(2026, 3, 2, 9, 0), timedelta(minutes=1))
