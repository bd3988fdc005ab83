"""A held call's resume reminder: holding arms a timer at the resume time (in the request's
transaction), resuming cancels it; when it fires the ticket's history says so and the agent's
list of held calls shows the call as due. The hold form refuses bad input field by field, on
both databases, and then changes nothing. Ticket events go to the outbox with the change."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from firstcall.core import clock
from firstcall.core.models import OutboxMessage, Timer
from firstcall.core.worker import Worker
from firstcall.navigation.tests.test_calls import start_call
from firstcall.tickets.models import Ticket, TicketEvent
from firstcall.tickets.services import RESUME_REMINDER

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(datetime(2030, 3, 1, 9, 0))  # in the agents' time zone (Shanghai)
JSON = {"HTTP_ACCEPT": "application/json"}


def _hold(client, session, reason: str, resume_at: str):
    return client.post(
        f"/agent/calls/{session.pk}/end/hold/", {"reason": reason, "resume_at": resume_at}, **JSON
    )


@pytest.mark.parametrize(
    ("reason", "resume_at", "fields"),
    [
        ("", "2030-03-01T11:00", {"reason"}),
        ("x" * 301, "2030-03-01T11:00", {"reason"}),
        ("客户稍后回电", "2031-02-30T10:00", {"resume_at"}),
        ("客户稍后回电", "2030-03-01T11:00+99:00", {"resume_at"}),
        ("客户稍后回电", "2030-03-01T08:59", {"resume_at"}),  # in the past
        ("客户稍后回电", "2030-05-01T09:00", {"resume_at"}),  # beyond the hold limit
        ("客户稍后回电", "not a time", {"resume_at"}),
        ("", "2031-02-30T10:00", {"reason", "resume_at"}),
    ],
)
def test_the_hold_form_refuses_bad_input_field_by_field_and_changes_nothing(
    login_client, reason, resume_at, fields
):
    session = start_call()
    with clock.frozen(T0):
        response = _hold(login_client("gd-sz-agent"), session, reason, resume_at)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == fields
    ticket = Ticket.objects.get(pk=session.ticket.pk)
    assert ticket.status == Ticket.Status.OPEN and ticket.hold_reason == ""
    assert not Timer.objects.filter(kind=RESUME_REMINDER).exists()


def test_a_held_call_is_reminded_at_its_resume_time_and_resuming_cancels_the_reminder(
    login_client,
):
    client = login_client("gd-sz-agent")
    session = start_call()
    ticket = session.ticket
    with clock.frozen(T0):
        response = _hold(client, session, "x" * 300, "2030-03-01T11:00")
        assert response.status_code == 302
        timer = Timer.objects.get(kind=RESUME_REMINDER, key=str(ticket.pk))
        assert timer.due_at == T0 + timedelta(hours=2)
        worker = Worker(worker_id="test", idle=0)
        clock.advance(timedelta(hours=2) - timedelta(seconds=1))
        worker.round()
        assert not ticket.events.filter(action=TicketEvent.Action.REMINDED).exists()
        assert 'data-testid="resume-due"' not in client.get("/agent/").content.decode()
        clock.advance(timedelta(seconds=1))
        worker.round()
        worker.round()
    reminders = ticket.events.filter(action=TicketEvent.Action.REMINDED)
    assert reminders.count() == 1 and reminders.get().actor == "task:timer:ticket.resume_reminder"
    assert Ticket.objects.get(pk=ticket.pk).reminded_at == T0 + timedelta(hours=2)
    workbench = client.get("/agent/").content.decode()
    assert 'data-testid="resume-due"' in workbench and ticket.code in workbench

    assert client.post(f"/agent/calls/{session.pk}/end/resume/").status_code == 302
    resumed = Ticket.objects.get(pk=ticket.pk)
    assert resumed.status == Ticket.Status.OPEN and resumed.reminded_at is None
    assert not Timer.objects.filter(kind=RESUME_REMINDER, key=str(ticket.pk)).exists()


def test_resuming_before_the_reminder_means_it_never_fires(login_client):
    client = login_client("gd-sz-agent")
    session = start_call()
    with clock.frozen(T0):
        _hold(client, session, "客户稍后回电", "2030-03-01T09:30")
        client.post(f"/agent/calls/{session.pk}/end/resume/")
        clock.advance(timedelta(hours=1))
        assert Worker(worker_id="test", idle=0).fire_timers() == 0
    assert not session.ticket.events.filter(action=TicketEvent.Action.REMINDED).exists()


def test_ticket_events_are_recorded_in_the_outbox_with_the_change(login_client):
    session = start_call()
    with clock.frozen(T0):
        _hold(login_client("gd-sz-agent"), session, "客户稍后回电", "2030-03-01T09:30")
    events = OutboxMessage.objects.filter(kind="event", payload__data__id=session.ticket.pk)
    types = sorted(m.payload["type"] for m in events)
    assert types == ["ticket.created", "ticket.status_changed"]
    changed = events.get(payload__type="ticket.status_changed").payload["data"]
    assert (changed["previous"], changed["status"]) == ("open", "held")
    assert changed["ticket"] == session.ticket.code
