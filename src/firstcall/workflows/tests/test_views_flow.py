"""The ticket page's posts through HTTP on a seeded process: claim from the to-do list, act with
the step form, the refusals shown on the page (field errors 422, a stale or repeated submit 409
with the current state), the ticket-level operations, and the done list afterwards."""

import re

import pytest

from firstcall.core.audit import ChangeContext
from firstcall.tickets.models import Ticket, TicketEvent
from firstcall.workflows import services
from firstcall.workflows.models import ProcessInstance, WorkItem
from firstcall.workflows.tests.helpers import converted, fresh, only

pytestmark = pytest.mark.django_db


def mobnet() -> Ticket:
    ticket = converted(number=f"1390000{WorkItem.objects.count():04d}")
    services.start(ChangeContext.for_cli("test"), ticket, "BO-MOBNET", data={"span": "city"})
    return fresh(ticket)


def revision(ticket: Ticket) -> int:
    return ProcessInstance.objects.get(ticket=ticket).revision


def test_claim_from_the_todo_then_accept_on_the_ticket_page(login_client):
    ticket = mobnet()
    item = only(ticket)
    client = login_client("js-nj-dispatcher")
    todo = client.get("/backoffice/todo/").content.decode()
    assert f'data-ticket="{ticket.code}" data-item="{item.pk}"' in todo
    claim = f"/backoffice/tickets/{ticket.code}/items/{item.pk}/claim/"
    response = client.post(claim, {"next": "todo"})
    assert response.status_code == 302 and response["Location"] == "/backoffice/todo/"
    item.refresh_from_db()
    assert item.assignee.username == "js-nj-dispatcher"

    page = client.get(f"/backoffice/tickets/{ticket.code}/").content.decode()
    assert 'data-current="accept"' in page and 'data-action="accept"' in page
    act = f"/backoffice/tickets/{ticket.code}/items/{item.pk}/act/"
    done = client.post(act, {"action": "accept", "revision": revision(ticket)})
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.state == WorkItem.State.DONE and item.done_by.username == "js-nj-dispatcher"
    page = client.get(f"/backoffice/tickets/{ticket.code}/").content.decode()
    assert 'data-visited="accept"' in page
    assert 'data-field="is_fault"' in page and 'data-kind="yes_no"' in page  # the next form

    # The done list has the step just completed.
    done_list = client.get("/backoffice/done/").content.decode()
    # The accepted step once (as the item, not again as its event), and the claim.
    assert done_list.count(f'data-ticket="{ticket.code}" data-kind="item"') == 1
    assert done_list.count(f'data-ticket="{ticket.code}" data-kind="event"') == 1
    assert "领取" in done_list


def test_a_missing_answer_is_shown_at_its_field_and_nothing_moves(login_client):
    ticket = mobnet()
    client = login_client("js-nj-dispatcher")
    item = only(ticket)
    url = f"/backoffice/tickets/{ticket.code}/items/{item.pk}/act/"
    assert client.post(url, {"action": "accept", "revision": revision(ticket)}).status_code == 302
    analyse = only(ticket)
    before = revision(ticket)
    url = f"/backoffice/tickets/{ticket.code}/items/{analyse.pk}/act/"
    refused = client.post(url, {"action": "dispatch", "revision": before, "note": "先派网优"})
    assert refused.status_code == 422
    body = refused.content.decode()
    assert re.search(r'data-testid="field-error" data-field="is_fault"', body)
    assert "先派网优" in body  # what was typed is kept
    assert revision(ticket) == before and only(ticket).pk == analyse.pk


def test_a_stale_or_repeated_submit_is_a_conflict_with_the_current_state(login_client):
    ticket = mobnet()
    client = login_client("js-nj-dispatcher")
    item = only(ticket)
    url = f"/backoffice/tickets/{ticket.code}/items/{item.pk}/act/"
    form = {"action": "accept", "revision": revision(ticket)}
    assert client.post(url, form).status_code == 302
    again = client.post(url, form)  # the same click twice
    assert again.status_code == 409
    body = again.content.decode()
    assert 'data-testid="refusal" data-status="409"' in body
    assert 'data-current="analyse"' in body  # the ticket as it is now
    assert TicketEvent.objects.filter(ticket=ticket, action="accepted").count() == 1
    stale = client.post(
        f"/backoffice/tickets/{ticket.code}/items/{only(ticket).pk}/act/",
        {"action": "dispatch", "revision": 0, "is_fault": "yes", "is_coverage": "no"},
    )
    assert stale.status_code == 409


def test_another_handler_cannot_act_and_a_wrong_revision_is_a_field_error(login_client):
    ticket = mobnet()
    item = only(ticket)
    url = f"/backoffice/tickets/{ticket.code}/items/{item.pk}/act/"
    handler = login_client("js-nj-netopt")  # in scope (same city), not the step's role
    assert handler.post(url, {"action": "accept", "revision": revision(ticket)}).status_code == 403
    dispatcher = login_client("js-nj-dispatcher")
    bad = dispatcher.post(url, {"action": "accept", "revision": "x" * 1000})
    assert bad.status_code == 422
    assert only(ticket).state == WorkItem.State.READY


def test_chase_and_its_refusal(login_client):
    ticket = mobnet()
    client = login_client("js-nj-dispatcher")
    url = f"/backoffice/tickets/{ticket.code}/chase/"
    too_long = client.post(url, {"note": "催" * 3000})
    assert too_long.status_code == 422
    assert 'data-field="note"' in too_long.content.decode()
    assert client.post(url, {"note": "请尽快处理"}).status_code == 302
    assert TicketEvent.objects.filter(ticket=ticket, action="chased").count() == 1
    page = client.get(f"/backoffice/tickets/{ticket.code}/").content.decode()
    assert "催办" in page and "请尽快处理" in page


def _dispatched_to_optimisation(client) -> Ticket:  # type: ignore[no-untyped-def]
    ticket = mobnet()
    for action, fields in (("accept", {}), ("dispatch", {"is_fault": "no", "is_coverage": "yes"})):
        item = only(ticket)
        url = f"/backoffice/tickets/{ticket.code}/items/{item.pk}/act/"
        response = client.post(url, {"action": action, "revision": revision(ticket), **fields})
        assert response.status_code == 302, response.content.decode()[:2000]
    return ticket


def test_the_handler_gets_the_feedback_form_and_the_dispatcher_may_dispatch_again(login_client):
    dispatcher = login_client("js-nj-dispatcher")
    ticket = _dispatched_to_optimisation(dispatcher)
    item = only(ticket)
    assert item.unit.code == "JS-NJ-NOPT"
    handler_page = login_client("js-nj-netopt").get(f"/backoffice/tickets/{ticket.code}/")
    body = handler_page.content.decode()
    assert 'data-action="feedback"' in body and 'data-field="cause"' in body
    assert 'data-testid="own-form" data-action="return"' in body  # the return carries a reason
    assert 'data-testid="redispatch-form"' not in body
    page = dispatcher.get(f"/backoffice/tickets/{ticket.code}/").content.decode()
    assert 'data-testid="redispatch-form"' in page
    from firstcall.orgs.models import OrgUnit

    maintenance = OrgUnit.objects.get(code="JS-NJ-NMNT")
    url = f"/backoffice/tickets/{ticket.code}/items/{item.pk}/redispatch/"
    assert dispatcher.post(url, {"unit": "abc"}).status_code == 422
    assert dispatcher.post(url, {"unit": maintenance.pk, "note": "应为网维"}).status_code == 302
    moved = only(ticket)
    assert moved.unit.code == "JS-NJ-NMNT"
    # The 网优 handler no longer has it; the 网维 handler does.
    netopt = login_client("js-nj-netopt").get("/backoffice/todo/").content.decode()
    assert ticket.code not in netopt
    netmaint = login_client("js-nj-netmaint").get("/backoffice/todo/").content.decode()
    assert ticket.code in netmaint


def test_a_return_without_its_reason_is_refused_at_the_reason(login_client):
    ticket = _dispatched_to_optimisation(login_client("js-nj-dispatcher"))
    item = only(ticket)
    handler = login_client("js-nj-netopt")
    url = f"/backoffice/tickets/{ticket.code}/items/{item.pk}/act/"
    refused = handler.post(url, {"action": "return", "revision": revision(ticket)})
    assert refused.status_code == 422
    body = refused.content.decode()
    assert 'data-testid="own-form" data-action="return" open' in body
    assert 'data-field="reason"' in body


def test_the_screens_in_english(login_client):
    ticket = mobnet()
    client = login_client("js-nj-dispatcher")
    client.cookies["firstcall_language"] = "en"  # the user chose English
    todo = client.get("/backoffice/todo/").content.decode()
    assert "Accept" in todo and "受理" not in todo  # the step's English name
    page = client.get(f"/backoffice/tickets/{ticket.code}/").content.decode()
    assert "Accept the ticket" in page and "Other operations" in page and "History" in page
    search = client.get("/backoffice/search/").content.decode()
    assert "Ticket search" in search and "Export to Excel" in search


def test_cancel_once_then_the_same_click_again_is_a_conflict(login_client):
    ticket = mobnet()
    client = login_client("js-nj-dispatcher")
    page = client.get(f"/backoffice/tickets/{ticket.code}/").content.decode()
    assert 'data-operation="cancel"' in page
    form = {"reason": "客户撤诉", "revision": revision(ticket)}
    url = f"/backoffice/tickets/{ticket.code}/cancel/"
    assert client.post(url, form).status_code == 302
    assert fresh(ticket).status == Ticket.Status.CANCELLED
    again = client.post(url, form)
    assert again.status_code == 409
    assert TicketEvent.objects.filter(ticket=ticket, action="cancelled").count() == 1


def test_hostile_values_in_every_post_of_the_ticket_page(login_client):
    """Each field of each form of the ticket page, fed the hostile table: never a 5xx; a field
    error, a refusal or a conflict (a value that reads, such as right-to-left text, may go
    through: the cancel comes last)."""
    from firstcall.core.tests.hostile import HOSTILE

    ticket = mobnet()
    item = only(ticket)
    client = login_client("js-nj-dispatcher")
    base = f"/backoffice/tickets/{ticket.code}"
    posts = {
        f"{base}/items/{item.pk}/act/": {"action": "accept", "note": "", "revision": "0"},
        f"{base}/items/{item.pk}/transfer/": {"unit": "1", "note": "", "revision": "0"},
        f"{base}/items/{item.pk}/redispatch/": {"unit": "1", "note": ""},
        f"{base}/deferral/": {"until": "2030-01-01T10:00", "reason": "x", "revision": "0"},
        f"{base}/cancel/": {"reason": "x", "revision": "0"},
        f"{base}/chase/": {"note": "x"},
    }
    for url, form in posts.items():
        for name in form:
            for label, value in HOSTILE:
                data = {**form, name: value}
                response = client.post(url, data)
                assert response.status_code < 500, (url, name, label, response.status_code)
                assert response.status_code in (302, 400, 403, 404, 409, 422), (url, name, label)


def test_every_demo_ticket_page_answers_for_the_people_who_see_it(login_client):
    """`firstcall seed --demo`'s tickets in flight: each demo role finds work in its to-do
    list, and every ticket page of its to-do and its search answers, in both languages."""
    from firstcall.workflows import demo

    demo.seed_demo_tickets(ChangeContext.for_cli("test"))
    people = [
        "js-nj-dispatcher",
        "js-nj-netopt",
        "js-dispatcher",
        "hq-dispatcher",
        "gd-gz-dispatcher",
    ]
    pages = 0
    for username in people:
        client = login_client(username)
        todo = client.get("/backoffice/todo/").content.decode()
        listed = re.findall(r'data-testid="todo-row" data-ticket="([A-Z0-9]+)"', todo)
        assert listed, f"{username} has nothing to do"
        search = client.get("/backoffice/search/").content.decode()
        found = re.findall(r'data-testid="search-row" data-ticket="([A-Z0-9]+)"', search)
        for code in dict.fromkeys(listed + found[:5]):
            for language in ("zh-hans", "en"):
                client.cookies["firstcall_language"] = language
                response = client.get(f"/backoffice/tickets/{code}/")
                assert response.status_code == 200, (username, code, language)
                pages += 1
            client.cookies["firstcall_language"] = "zh-hans"
        assert client.get("/backoffice/done/").status_code == 200
    assert pages > 10
