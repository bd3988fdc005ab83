"""The process cache of policies and calendars (on outside the tests): a lookup reads the tables
once, and any change to a policy, a calendar or a calendar day is seen by the next lookup."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from firstcall.orgs.models import OrgUnit
from firstcall.sla import policies
from firstcall.sla.models import Calendar, CalendarDay, Policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.FIRSTCALL_SLA_CACHE = True
    policies._cache.update(stamp=None, entry=None)
    yield
    policies._cache.update(stamp=None, entry=None)


def test_a_second_lookup_reads_only_the_stamp(cached):
    js = OrgUnit.objects.get(code="JS")
    Policy.objects.create(process="T-C", name="first")
    policies.policy_for(process="T-C", priority="", province=js)
    policies.calendar_for(js)
    with CaptureQueriesContext(connection) as queries:
        assert policies.policy_for(process="T-C", priority="", province=js).name == "first"
        policies.calendar_for(js)
    assert len(queries) == 2  # one stamp each


def test_a_changed_policy_is_seen_by_the_next_lookup(cached):
    js = OrgUnit.objects.get(code="JS")
    policy = Policy.objects.create(process="T-C", name="first", accept_minutes=60)
    assert policies.policy_for(process="T-C", priority="", province=js).accept_minutes == 60
    policy.accept_minutes = 15
    policy.save()
    assert policies.policy_for(process="T-C", priority="", province=js).accept_minutes == 15
    more = Policy.objects.create(process="T-C", province=js, name="js", accept_minutes=5)
    assert policies.policy_for(process="T-C", priority="", province=js) == more
    more.delete()
    assert policies.policy_for(process="T-C", priority="", province=js) == policy


def test_a_new_or_deleted_calendar_day_is_seen_by_the_next_lookup(cached):
    js = OrgUnit.objects.get(code="JS")
    calendar = Calendar.objects.create(province=js, name="江苏测试")
    assert policies.calendar_for(js).is_working_day(date(2026, 3, 3))
    day = CalendarDay.objects.create(calendar=calendar, date=date(2026, 3, 3), kind="holiday")
    assert not policies.calendar_for(js).is_working_day(date(2026, 3, 3))
    day.delete()
    assert policies.calendar_for(js).is_working_day(date(2026, 3, 3))
