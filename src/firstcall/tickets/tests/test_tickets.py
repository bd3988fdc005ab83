"""Tickets: numbers by kind, transitions the status allows (409 and nothing changed otherwise),
notes with their audit row, and the ticket page (fields, links both ways, what the call found,
history, notes) within the viewer's scope."""

import pytest

from firstcall.core.errors import InvalidTransition, ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.navigation import outcomes, runtime
from firstcall.navigation.tests.test_calls import agent_ctx, start_call
from firstcall.tickets import services
from firstcall.tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def test_numbers_carry_the_kind_the_day_and_the_id():
    ctx = agent_ctx()
    session = runtime.jump(ctx, start_call(ctx), "E-FAULT-FIELD")
    fault = outcomes.convert(ctx, session)
    source = Ticket.objects.get(pk=session.ticket.pk)
    day = source.opened_at.strftime("%Y%m%d")
    assert source.code == f"YCL{day}{source.pk:07d}"
    assert fault.code == f"ZA{fault.opened_at:%Y%m%d}{fault.pk:07d}"


def test_a_transition_the_status_does_not_allow_changes_nothing():
    ctx = agent_ctx()
    session = start_call(ctx)
    outcomes.resolve(ctx, session, "已恢复")
    events = TicketEvent.objects.filter(ticket=session.ticket).count()
    with pytest.raises(InvalidTransition):
        services.transfer(ctx, Ticket.objects.get(pk=session.ticket.pk), "请专家协查", {})
    ticket = Ticket.objects.get(pk=session.ticket.pk)
    assert ticket.status == Ticket.Status.RESOLVED and ticket.diagnosis["flow"] == "F-BB-691"
    assert TicketEvent.objects.filter(ticket=ticket).count() == events


def test_a_note_is_history_with_an_audit_row_and_an_empty_one_is_refused():
    ctx = agent_ctx()
    ticket = start_call(ctx).ticket
    with pytest.raises(ValidationFailed):
        services.add_note(ctx, ticket, "   ")
    with pytest.raises(ValidationFailed):
        services.add_note(ctx, ticket, "长" * (services.NOTE_LIMIT + 1))
    services.add_note(ctx, ticket, "客户要求晚上八点后回电")
    note = TicketEvent.objects.get(ticket=ticket, action="note")
    assert note.note == "客户要求晚上八点后回电" and note.actor == "gd-sz-agent"
    assert ObjectChange.objects.filter(
        content_type__model="ticketevent", object_id=str(note.pk), action="create"
    ).exists()


def test_the_ticket_page_shows_links_both_ways_the_diagnosis_and_the_history(login_client):
    ctx = agent_ctx()
    session = runtime.jump(ctx, start_call(ctx), "E-FAULT-FIELD")
    fault = outcomes.convert(ctx, session)
    client = login_client("gd-sz-agent")

    page = client.get(f"/tickets/{fault.code}/").content.decode()
    assert session.ticket.code in page and "装维（端口/跳线核查）" in page
    assert 'data-testid="converted-from"' in page and "E-FAULT-FIELD" in page
    assert "ticket-routing" in page

    source = client.get(f"/tickets/{session.ticket.code}/").content.decode()
    assert f">{fault.code}</a>" in source and 'data-action="converted"' in source


def test_notes_are_added_on_the_page_and_a_bad_one_is_explained(login_client):
    ticket = start_call(agent_ctx()).ticket
    client = login_client("gd-sz-agent")
    url = f"/tickets/{ticket.code}/notes/"
    refused = client.post(url, {"note": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and 'data-testid="note-error"' in refused.content.decode()
    added = client.post(url, {"note": "已告知客户处理进度"}, HTTP_HX_REQUEST="true")
    assert added.status_code == 200 and "已告知客户处理进度" in added.content.decode()
    assert TicketEvent.objects.filter(ticket=ticket, action="note").count() == 1


def test_a_ticket_outside_the_viewers_scope_is_not_found(login_client):
    ticket = start_call(agent_ctx()).ticket  # Shenzhen
    other = login_client("js-nj-agent")
    assert other.get(f"/tickets/{ticket.code}/").status_code == 404
    assert other.post(f"/tickets/{ticket.code}/notes/", {"note": "x"}).status_code == 404
    assert not TicketEvent.objects.filter(ticket=ticket, action="note").exists()
