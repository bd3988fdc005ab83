"""The notification list: a supervisor sees the warnings and breaches of their tickets, in Chinese,
marks them read (again: harmless; someone else's: nothing); the clocks partial shows what is left
and overdue in red."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string

from firstcall.core import clock
from firstcall.core.audit import ChangeContext
from firstcall.sla import queries, services
from firstcall.sla.models import Notification
from firstcall.sla.tests.test_clocks import fire_due, make_ticket

pytestmark = [pytest.mark.django_db]
SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=SH)


@pytest.fixture
def breached():
    from firstcall.sla.seed import seed_sla

    ctx = ChangeContext.for_job("test")
    seed_sla(ctx)
    with clock.frozen(T0):
        ticket = make_ticket()
        services.start_clock(ctx, ticket, "accept", process="BO-COMPLAINT")
        clock.advance(timedelta(hours=2))
        fire_due()
    return ticket


def test_a_supervisor_sees_and_marks_read_their_notifications(login_client, breached):
    client = login_client("js-nj-supervisor")
    page = client.get("/sla/notifications/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="notification"') == 2
    assert breached.code in html and "已超时" in html and "即将超时" in html
    assert 'data-count="2"' in html
    note = Notification.objects.get(ticket=breached, kind="breach")
    for _ in range(2):  # a double submit is harmless
        response = client.post("/sla/notifications/read/", {"id": [str(note.pk), "x"]})
        assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    assert queries.unread_count(note.user) == 1
    unread = client.get("/sla/notifications/?unread=1").content.decode()
    assert unread.count('data-testid="notification"') == 1 and 'data-kind="warn"' in unread
    client.post("/sla/notifications/read/", {"all": "1"})
    assert queries.unread_count(note.user) == 0


def test_nobody_else_sees_or_marks_them(login_client, client, breached):
    other = login_client("js-sz-supervisor")
    assert 'data-testid="notification"' not in other.get("/sla/notifications/").content.decode()
    note = Notification.objects.get(ticket=breached, kind="breach")
    other.post("/sla/notifications/read/", {"id": str(note.pk)})
    other.post("/sla/notifications/read/", {"all": "1"})
    note.refresh_from_db()
    assert note.read_at is None
    assert client.get("/sla/notifications/").status_code == 302  # signed out: to the sign-in


def test_the_clocks_partial_shows_time_left_and_overdue_in_red(breached):
    with clock.frozen(T0 + timedelta(hours=2)):
        services.start_clock(ChangeContext.for_job("test"), breached, "handle")
        html = render_to_string("sla/clocks.html", {"clocks": queries.clocks_for(breached)})
    assert 'data-kind="accept" data-state="running" data-overdue="yes"' in html
    assert "text-danger" in html and "超时 1小时" in html
    assert 'data-kind="handle" data-state="running" data-overdue="no"' in html
    assert "受理时限" in html and "处理时限" in html


def test_policies_and_calendars_are_edited_in_the_admin_with_an_audit_row(login_client, breached):
    from firstcall.core.models import ObjectChange
    from firstcall.sla.models import Policy

    admin = login_client("admin")
    for path in ("policy", "calendar", "calendarday", "clock", "notification"):
        assert admin.get(f"/admin/sla/{path}/").status_code == 200
    response = admin.post(
        "/admin/sla/policy/add/",
        {
            "name": "测试",
            "process": "T-ADMIN",
            "priority": "",
            "accept_minutes": 20,
            "handle_hours": 24,
            "t1_hours": 12,
            "regulatory_days": 15,
            "regulatory_warn_day": 10,
            "regulatory_alarm_day": 13,
            "warn_fraction": 0.5,
            "raise_priority": "on",
            "business_time": "on",
        },
    )
    assert response.status_code == 302
    policy = Policy.objects.get(process="T-ADMIN")
    assert ObjectChange.objects.filter(object_id=str(policy.pk), action="create").exists()
    assert admin.get("/admin/sla/clock/add/").status_code == 403  # clocks are not edited
    assert login_client("js-nj-supervisor").get("/admin/sla/policy/").status_code in (302, 403)
