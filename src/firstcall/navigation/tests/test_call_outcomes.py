"""How a call's outcome and the caller's record answer over HTTP: htmx gets the changed parts
only (the outcome card, the status header and the caller's record, with events for the panels
that show the ticket or the flow), a refusal as field errors next to the typed values, a second
click as a 409 that says what became of the call; a plain form post goes back to the call page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from firstcall.core import clock
from firstcall.core.models import ObjectChange
from firstcall.core.tests.hostile import MEGABYTE
from firstcall.core.tests.pages import text
from firstcall.navigation import runtime
from firstcall.navigation.tests.test_calls import agent_ctx, start_call
from firstcall.tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
AGENT = "gd-sz-agent"


def _post(client, session, outcome: str, data: dict | None = None, **headers):
    return client.post(f"/agent/calls/{session.pk}/end/{outcome}/", data or {}, **headers)


def _ticket(session) -> Ticket:
    return Ticket.objects.get(pk=session.ticket.pk)


def test_an_outcome_over_htmx_swaps_the_outcome_card_the_header_and_the_record_only(
    login_client,
):
    client = login_client(AGENT)
    session = runtime.jump(agent_ctx(), start_call(), "E-RETRY")
    response = _post(client, session, "resolve", {"reply": "请重新拨号"}, **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="panel-outcome"')
    assert re.search(r'<span id="call-status"[^>]* hx-swap-oob="true"', body)
    assert 'id="caller-card"' in body and 'data-testid="call-ended"' in body
    assert "HX-Redirect" not in response and "/agent/panel/" not in body
    assert response["HX-Trigger"] == "fc-ticket-changed"
    assert 'data-end=""' not in body  # the timer stands still at the end of the call
    assert _ticket(session).status == Ticket.Status.RESOLVED


def test_hold_and_resume_over_htmx_refresh_the_tickets_panel_but_not_the_flow(login_client):
    client = login_client(AGENT)
    session = start_call()
    later = timezone.localtime(clock.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    held = _post(client, session, "hold", {"reason": "客户稍后回电", "resume_at": later}, **HX)
    assert held.status_code == 200 and held["HX-Trigger"] == "fc-ticket-changed"
    assert 'data-testid="resume"' in held.content.decode()
    resumed = _post(client, session, "resume", **HX)
    assert resumed.status_code == 200 and resumed["HX-Trigger"] == "fc-ticket-changed"
    assert 'data-testid="resolve-form"' in resumed.content.decode()
    assert _ticket(session).status == Ticket.Status.OPEN


def test_a_refused_hold_shows_field_errors_next_to_the_typed_values_and_changes_nothing(
    login_client,
):
    client = login_client(AGENT)
    session = start_call()
    data = {"reason": "", "resume_at": "2031-02-30T10:00", "caller_description": "一直拨号失败"}
    response = _post(client, session, "hold", data, **HX)
    assert response.status_code == 422 and "HX-Trigger" not in response
    body = response.content.decode()
    assert 'data-testid="error-reason"' in body and 'data-testid="error-resume_at"' in body
    assert 'value="2031-02-30T10:00"' in body and "一直拨号失败" in body  # nothing lost
    ticket = _ticket(session)
    assert ticket.status == Ticket.Status.OPEN and ticket.caller_description == ""


def test_a_second_click_on_an_outcome_has_no_effect_and_answers_409_with_a_message(
    login_client,
):
    client = login_client(AGENT)
    session = runtime.jump(agent_ctx(), start_call(), "E-RETRY")
    assert _post(client, session, "resolve", {"reply": "请重新拨号"}, **HX).status_code == 200
    events = TicketEvent.objects.filter(ticket=session.ticket).count()
    changes = ObjectChange.objects.count()
    again = _post(client, session, "resolve", {"reply": "请重新拨号"}, **HX)
    assert again.status_code == 409
    body = again.content.decode()
    assert 'data-testid="outcome-message" data-status="409"' in body
    assert 'data-testid="call-ended"' in body  # and the card shows what became of the call
    assert TicketEvent.objects.filter(ticket=session.ticket).count() == events
    assert ObjectChange.objects.count() == changes
    # Without htmx, the call page with the message; never an error page of its own.
    plain = _post(client, session, "resolve", {"reply": "请重新拨号"})
    assert plain.status_code == 409 and 'data-testid="outcome-message"' in plain.content.decode()
    assert 'data-testid="workbench"' in plain.content.decode()


def test_a_plain_form_post_goes_back_to_the_call_page(login_client):
    client = login_client(AGENT)
    session = runtime.jump(agent_ctx(), start_call(), "E-RETRY")
    response = _post(client, session, "resolve", {"reply": "请重新拨号"})
    assert response.status_code == 302 and response["Location"] == f"/agent/calls/{session.pk}/"
    page = text(client.get(response["Location"]))
    assert 'data-testid="call-ended"' in page and 'data-status="resolved"' in page


def test_the_caller_record_is_saved_in_place_and_carried_into_the_converted_ticket(
    login_client,
):
    client = login_client(AGENT)
    session = runtime.jump(agent_ctx(), start_call(), "E-FAULT-FIELD")
    data = {
        "caller_description": "  昨晚起宽带拨号报691，重启光猫无效 ",
        "callback_number": "138-0013 8000",
    }
    saved = client.post(f"/agent/calls/{session.pk}/caller/", data, **HX)
    assert saved.status_code == 200
    body = saved.content.decode()
    assert 'data-saved="true"' in body and 'id="caller-description-error"' in body
    assert "<textarea" not in body  # what the agent is typing is never replaced
    ticket = _ticket(session)
    assert (ticket.caller_description, ticket.callback_number) == (
        "昨晚起宽带拨号报691，重启光猫无效",
        "13800138000",
    )
    # The outcome form carries the fields too: what was typed last is what the ticket gets.
    data["caller_description"] = "昨晚起拨号报691，重启光猫无效，客户在家"
    assert _post(client, session, "convert", data, **HX).status_code == 200
    fault = Ticket.objects.get(converted_from=session.ticket)
    assert fault.caller_description == "昨晚起拨号报691，重启光猫无效，客户在家"
    assert fault.callback_number == "13800138000"
    assert fault.summary == "FTTH拨号报错691：昨晚起拨号报691，重启光猫无效，客户在家"
    page = client.get(f"/tickets/{fault.code}/").content.decode()
    assert 'data-testid="ticket-caller-description"' in page and "13800138000" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("caller_description", "长" * 1001),
        ("caller_description", MEGABYTE),
        ("callback_number", "12345"),
        ("callback_number", "call me"),
        ("callback_number", "²³⁴⁵⁶⁷⁸⁹⁰¹²"),
        ("callback_number", MEGABYTE),
    ],
)
def test_a_bad_caller_record_is_a_field_error_and_writes_nothing(login_client, field, value):
    client = login_client(AGENT)
    session = start_call()
    changes = ObjectChange.objects.count()
    response = client.post(f"/agent/calls/{session.pk}/caller/", {field: value}, **HX)
    assert response.status_code == 422
    assert f'id="{field.replace("_", "-")}-error"' in response.content.decode()
    assert ObjectChange.objects.count() == changes
    plain = client.post(f"/agent/calls/{session.pk}/caller/", {field: value})
    assert plain.status_code == 422 and f'data-testid="error-{field}"' in plain.content.decode()
    as_json = client.post(
        f"/agent/calls/{session.pk}/caller/", {field: value}, HTTP_ACCEPT="application/json"
    )
    assert as_json.status_code == 422 and set(as_json.json()["errors"]) == {field}
    ticket = _ticket(session)
    assert (ticket.caller_description, ticket.callback_number) == ("", "")


def test_nul_and_repeated_values_are_refused_or_read_without_a_5xx(login_client):
    client = login_client(AGENT)
    session = start_call()
    nul = client.post(f"/agent/calls/{session.pk}/caller/", {"caller_description": "a\x00b"}, **HX)
    assert nul.status_code == 400
    repeated = client.post(
        f"/agent/calls/{session.pk}/caller/", {"callback_number": ["13800138000", "x"]}, **HX
    )
    assert repeated.status_code == 422
    unknown = _post(client, session, "explode", **HX)
    assert unknown.status_code == 404


def test_the_caller_record_is_closed_once_the_call_has_ended(login_client):
    client = login_client(AGENT)
    session = runtime.jump(agent_ctx(), start_call(), "E-RETRY")
    _post(client, session, "resolve", {"reply": "请重新拨号"}, **HX)
    response = client.post(
        f"/agent/calls/{session.pk}/caller/", {"caller_description": "后来补记"}, **HX
    )
    assert response.status_code == 409 and _ticket(session).caller_description == ""
    page = text(client.get(f"/agent/calls/{session.pk}/"))
    assert 'data-testid="caller-record"' in page and 'id="caller-form"' not in page


def test_the_call_page_shows_the_timer_from_the_tickets_opening(login_client):
    client = login_client(AGENT)
    session = start_call()
    Ticket.objects.filter(pk=session.ticket.pk).update(
        opened_at=clock.now() - timedelta(minutes=3, seconds=7)
    )
    page = text(client.get(f"/agent/calls/{session.pk}/"))
    assert 'x-data="callTimer"' in page and 'data-end=""' in page
    assert '<span x-text="shown" data-testid="call-timer-shown">03:0' in page
