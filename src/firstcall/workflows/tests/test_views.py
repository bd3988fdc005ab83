"""The back office's screens through Django's test client: the to-do, done and search lists in
each user's scope, the keyset pages, the ticket page with its step form and diagram marks, and
the refusals (404 outside the scope, 403 without the permission). Rows are made directly (the
screens read them; the operations have their own tests)."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from firstcall.core import clock
from firstcall.orgs.models import OrgUnit
from firstcall.tickets.models import Ticket, TicketEvent
from firstcall.workflows.models import Process, ProcessInstance, ProcessVersion, WorkItem

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"


def _task(tid: str, name: str, **props: str) -> str:
    rows = "".join(f'<spiffworkflow:property name="{k}" value="{v}"/>' for k, v in props.items())
    return (
        f'<bpmn:userTask id="{tid}" name="{name}"><bpmn:extensionElements>'
        f"<spiffworkflow:properties>{rows}</spiffworkflow:properties>"
        "</bpmn:extensionElements></bpmn:userTask>"
    )


BPMN = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    f'xmlns:spiffworkflow="{SPIFF}" id="defs" targetNamespace="http://firstcall.test/bpmn">'
    '<bpmn:process id="T_VIEWS" isExecutable="true"><bpmn:startEvent id="start"/>'
    + _task("accept", "受理", flow_role="dispatcher", actions="accept,return", form="accept")
    + _task("opt", "网优处理", flow_role="handler", actions="feedback,return", form="feedback")
    + '<bpmn:endEvent id="end"/>'
    '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="accept"/>'
    '<bpmn:sequenceFlow id="f2" sourceRef="accept" targetRef="opt"/>'
    '<bpmn:sequenceFlow id="f3" sourceRef="opt" targetRef="end"/>'
    "</bpmn:process></bpmn:definitions>"
)
_codes = itertools.count(1)


def version() -> ProcessVersion:
    process, _created = Process.objects.get_or_create(
        code="T-VIEWS",
        defaults={
            "name_zh": "测试投诉流程",
            "name_en": "Test complaint",
            "ticket_kind": "complaint",
        },
    )
    found = process.versions.first()
    if found is not None:
        return found
    return ProcessVersion.objects.create(
        process=process, number=1, status="published", bpmn=BPMN, published_at=NOW
    )


def ticket_at(
    unit_code: str,
    *,
    number: str = "13312345678",
    opened_at: datetime | None = None,
    **fields: object,
) -> Ticket:
    unit = OrgUnit.objects.get(code=unit_code)
    values: dict[str, object] = {
        "code": f"TSO{next(_codes):09d}",
        "kind": Ticket.Kind.COMPLAINT,
        "status": Ticket.Status.ACCEPTING,
        "unit": unit,
        "customer_id": "C-1",
        "service_number": number,
        "phenomenon": "手机上网慢",
        "source": Ticket.Source.HOTLINE,
        "priority": Ticket.Priority.NORMAL,
        "opened_at": opened_at or NOW,
        "current_step": "受理",
        **fields,
    }
    return Ticket.objects.create(**values)


def item_for(
    ticket: Ticket,
    unit_code: str,
    role: str = "dispatcher",
    *,
    spec: str = "accept",
    due_at: datetime | None = None,
    path: list[str] | None = None,
    **fields: object,
) -> WorkItem:
    unit = OrgUnit.objects.get(code=unit_code)
    instance, _created = ProcessInstance.objects.get_or_create(
        ticket=ticket, defaults={"version": version(), "path": path or [], "revision": 3}
    )
    return WorkItem.objects.create(
        instance=instance,
        ticket=ticket,
        task_id=f"task-{ticket.code}-{spec}-{WorkItem.objects.count()}",
        task_spec=spec,
        step_name={"accept": "受理", "opt": "网优处理"}[spec],
        unit=unit,
        unit_path=unit.path,
        flow_role=role,
        due_at=due_at if due_at is not None else NOW + timedelta(hours=1),
        priority=ticket.priority,
        **fields,
    )


def codes(page: str, marker: str) -> list[str]:
    import re

    return re.findall(rf'data-testid="{marker}" data-ticket="([A-Z0-9]+)"', page)


@pytest.fixture
def frozen():
    with clock.frozen(NOW):
        yield


# --- to-do ---------------------------------------------------------------------------------------


def test_a_city_dispatcher_sees_its_citys_items_only(login_client, frozen):
    nj = item_for(ticket_at("JS-NJ"), "JS-NJ-OPS")
    sz = item_for(ticket_at("JS-SZ"), "JS-SZ-OPS")
    handler_item = item_for(ticket_at("JS-NJ"), "JS-NJ-NOPT", "handler", spec="opt")
    page = login_client("js-nj-dispatcher").get("/backoffice/todo/").content.decode()
    shown = codes(page, "todo-row")
    assert nj.ticket.code in shown
    assert sz.ticket.code not in shown  # another city's
    assert handler_item.ticket.code not in shown  # another flow role's
    assert "133****5678" in page and "13312345678" not in page  # the number masked


def test_a_city_handler_never_sees_another_citys_or_another_departments_items(login_client, frozen):
    mine = item_for(ticket_at("JS-NJ"), "JS-NJ-NOPT", "handler", spec="opt")
    other_city = item_for(ticket_at("JS-SZ"), "JS-SZ-NOPT", "handler", spec="opt")
    next_door = item_for(ticket_at("JS-NJ"), "JS-NJ-NMNT", "handler", spec="opt")
    shown = codes(
        login_client("js-nj-netopt").get("/backoffice/todo/").content.decode(), "todo-row"
    )
    assert shown == [mine.ticket.code]
    assert other_city.ticket.code not in shown and next_door.ticket.code not in shown


def test_a_province_dispatcher_sees_its_cities_items_and_not_another_provinces(
    login_client, frozen
):
    nj = item_for(ticket_at("JS-NJ"), "JS-NJ-OPS")
    wx = item_for(ticket_at("JS-WX"), "JS-WX-OPS")
    province = item_for(ticket_at("JS"), "JS-OPS")
    gz = item_for(ticket_at("GD-GZ"), "GD-GZ-OPS")
    shown = codes(
        login_client("js-dispatcher").get("/backoffice/todo/").content.decode(), "todo-row"
    )
    assert {nj.ticket.code, wx.ticket.code, province.ticket.code} <= set(shown)
    assert gz.ticket.code not in shown


def test_items_claimed_by_someone_else_leave_the_list_and_ones_own_stay(login_client, user, frozen):
    mine = item_for(ticket_at("JS-NJ"), "JS-NJ-OPS", assignee=user("js-nj-dispatcher"))
    theirs = item_for(ticket_at("JS-NJ"), "JS-NJ-OPS", assignee=user("js-dispatcher"))
    done = item_for(ticket_at("JS-NJ"), "JS-NJ-OPS", state=WorkItem.State.DONE)
    page = login_client("js-nj-dispatcher").get("/backoffice/todo/").content.decode()
    shown = codes(page, "todo-row")
    assert mine.ticket.code in shown
    assert theirs.ticket.code not in shown and done.ticket.code not in shown
    assert 'data-testid="claimed"' in page


def test_the_todo_is_ordered_by_due_time_and_the_overdue_are_red(login_client, frozen):
    late = item_for(ticket_at("JS-NJ"), "JS-NJ-OPS", due_at=NOW - timedelta(minutes=30))
    soon = item_for(ticket_at("JS-NJ"), "JS-NJ-OPS", due_at=NOW + timedelta(hours=2, minutes=5))
    page = login_client("js-nj-dispatcher").get("/backoffice/todo/").content.decode()
    assert codes(page, "todo-row")[:2] == [late.ticket.code, soon.ticket.code]
    assert page.count('data-overdue="true"') == 1
    assert "逾期 30分钟" in page and "2小时5分钟" in page


def test_the_todo_pages_by_keyset_without_repeating_or_skipping(login_client, frozen):
    from firstcall.workflows import queries

    made = [
        item_for(ticket_at("JS-NJ"), "JS-NJ-OPS", due_at=NOW + timedelta(minutes=i % 7))
        for i in range(queries.PAGE + 7)
    ]
    client = login_client("js-nj-dispatcher")
    first = client.get("/backoffice/todo/").content.decode()
    import re

    after = re.search(r'after=([^"&]+)"', first)
    assert after, "a next page link"
    second = client.get(f"/backoffice/todo/?after={after.group(1)}").content.decode()
    one, two = codes(first, "todo-row"), codes(second, "todo-row")
    assert len(one) == queries.PAGE and len(two) == 7
    assert set(one).isdisjoint(two)
    assert set(one) | set(two) == {i.ticket.code for i in made}
    assert 'data-testid="next-page"' not in second


def test_a_broken_cursor_reads_as_the_first_page(login_client, frozen):
    item = item_for(ticket_at("JS-NJ"), "JS-NJ-OPS")
    client = login_client("js-nj-dispatcher")
    for cursor in ("x", "9" * 30 + ".1", "-.abc", "1.-5", "1.99999999999999999999999"):
        response = client.get("/backoffice/todo/", {"after": cursor})
        assert response.status_code == 200
        assert item.ticket.code in response.content.decode()


def test_the_back_office_screens_need_the_permission(login_client):
    client = login_client("js-nj-agent")
    for url in ("/backoffice/todo/", "/backoffice/done/", "/backoffice/search/"):
        assert client.get(url).status_code == 403


# --- done ----------------------------------------------------------------------------------------


def test_done_lists_completed_items_and_events_newest_first(login_client, user, frozen):
    me = user("js-nj-dispatcher")
    first = ticket_at("JS-NJ")
    item_for(
        first,
        "JS-NJ-OPS",
        state=WorkItem.State.DONE,
        done_by=me,
        done_at=NOW - timedelta(hours=2),
        action="accept",
    )
    second = ticket_at("JS-NJ")
    TicketEvent.objects.create(
        ticket=second,
        user=me,
        actor="x",
        action=TicketEvent.Action.CHASED,
        time=NOW - timedelta(hours=1),
        note="请尽快处理",
    )
    someone_else = ticket_at("JS-NJ")
    TicketEvent.objects.create(
        ticket=someone_else, user=user("js-dispatcher"), actor="y", action="chased", time=NOW
    )
    page = login_client("js-nj-dispatcher").get("/backoffice/done/").content.decode()
    rows = codes(page, "done-row")
    assert rows == [second.code, first.code]
    assert "催办" in page and "受理" in page and "请尽快处理" in page


# --- search and export ---------------------------------------------------------------------------


def test_search_obeys_the_scope_and_the_filters(login_client, frozen):
    nj = ticket_at("JS-NJ", css_serial="CSS-1", overdue=True)
    sz = ticket_at("JS-SZ", number="18900001111")
    gz = ticket_at("GD-GZ")
    preprocessing = ticket_at("JS-NJ", kind=Ticket.Kind.PREPROCESSING, status="open")
    city = login_client("js-nj-dispatcher")
    shown = codes(city.get("/backoffice/search/").content.decode(), "search-row")
    assert nj.code in shown and sz.code not in shown and gz.code not in shown
    assert preprocessing.code not in shown
    province = login_client("js-dispatcher")
    shown = codes(province.get("/backoffice/search/").content.decode(), "search-row")
    assert {nj.code, sz.code} <= set(shown) and gz.code not in shown
    by_number = province.get("/backoffice/search/", {"number": "18900001111"}).content.decode()
    assert codes(by_number, "search-row") == [sz.code]
    by_serial = province.get("/backoffice/search/", {"css_serial": "CSS-1"}).content.decode()
    assert codes(by_serial, "search-row") == [nj.code]
    overdue = province.get("/backoffice/search/", {"overdue": "yes"}).content.decode()
    assert nj.code in codes(overdue, "search-row") and sz.code not in codes(overdue, "search-row")
    unit = OrgUnit.objects.get(code="JS-SZ").pk
    in_sz = province.get("/backoffice/search/", {"unit": unit}).content.decode()
    assert codes(in_sz, "search-row") == [sz.code]
    other = province.get("/backoffice/search/", {"code": gz.code}).content.decode()
    assert codes(other, "search-row") == []  # another province's ticket is not found


def test_search_by_time_range_and_bad_dates(login_client, frozen):
    old = ticket_at("JS-NJ", opened_at=NOW - timedelta(days=10))
    new = ticket_at("JS-NJ", opened_at=NOW)
    client = login_client("js-nj-dispatcher")
    since = (NOW - timedelta(days=1)).date().isoformat()
    shown = codes(
        client.get("/backoffice/search/", {"opened_from": since}).content.decode(), "search-row"
    )
    assert new.code in shown and old.code not in shown
    bad = client.get("/backoffice/search/", {"opened_from": "2026-02-30"})
    assert bad.status_code == 422
    assert 'data-field="opened_from"' in bad.content.decode()


def test_search_pages_by_keyset(login_client, frozen):
    import re

    from firstcall.workflows import queries

    made = [
        ticket_at("JS-WX", opened_at=NOW - timedelta(minutes=i % 5))
        for i in range(queries.PAGE + 3)
    ]
    client = login_client("js-wx-dispatcher")
    first = client.get("/backoffice/search/", {"number": "13312345678"}).content.decode()
    after = re.search(r'after=([^"&]+)"', first.replace("&amp;", "&"))
    assert after
    second = client.get(
        "/backoffice/search/", {"number": "13312345678", "after": after.group(1)}
    ).content.decode()
    one, two = codes(first, "search-row"), codes(second, "search-row")
    assert len(one) == queries.PAGE and set(one).isdisjoint(two)
    assert set(one) | set(two) == {t.code for t in made}


def test_the_export_opens_in_openpyxl_with_the_rows_in_scope(login_client, frozen):
    from io import BytesIO

    from openpyxl import load_workbook

    nj = ticket_at("JS-NJ", css_serial="=HYPERLINK(1)")
    sz = ticket_at("JS-SZ")
    response = login_client("js-nj-dispatcher").get("/backoffice/search/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "工单号"
    exported = [row[0] for row in rows[1:]]
    assert nj.code in exported and sz.code not in exported
    line = next(row for row in rows if row[0] == nj.code)
    assert "133****5678" in line and "'=HYPERLINK(1)" in line  # masked; no formula


# --- the ticket page -----------------------------------------------------------------------------


def test_the_ticket_page_shows_the_step_form_and_marks_for_the_diagram(login_client, frozen):
    ticket = ticket_at(
        "JS-NJ",
        caller_description="在家里信号很差",
        callback_number="02588880000",
        status=Ticket.Status.IN_PROGRESS,
    )
    item = item_for(ticket, "JS-NJ-NOPT", "handler", spec="opt", path=["accept"])
    page = login_client("js-nj-netopt").get(f"/backoffice/tickets/{ticket.code}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-current="opt"' in body and 'data-visited="accept"' in body
    assert "在家里信号很差" in body and "02588880000" in body
    assert f'data-item="{item.pk}"' in body
    assert 'data-action="feedback"' in body and 'data-action="return"' in body
    assert 'name="revision" value="3"' in body
    assert 'data-field="cause"' in body  # the feedback form's fields
    diagram = login_client("js-nj-netopt").get(f"/backoffice/tickets/{ticket.code}/diagram.bpmn")
    assert diagram.status_code == 200 and b'id="opt"' in diagram.content


def test_someone_elses_step_offers_no_action(login_client, frozen):
    ticket = ticket_at("JS-NJ")
    item_for(ticket, "JS-NJ-NOPT", "handler", spec="opt")
    body = (
        login_client("js-nj-dispatcher").get(f"/backoffice/tickets/{ticket.code}/").content.decode()
    )
    assert 'data-testid="not-yours"' in body and 'data-action="feedback"' not in body


def test_another_citys_ticket_is_not_found(login_client, frozen):
    ticket = ticket_at("JS-SZ")
    client = login_client("js-nj-dispatcher")
    assert client.get(f"/backoffice/tickets/{ticket.code}/").status_code == 404
    assert client.get(f"/backoffice/tickets/{ticket.code}/diagram.bpmn").status_code == 404
    item = item_for(ticket, "JS-SZ-OPS")
    assert (
        client.post(f"/backoffice/tickets/{ticket.code}/items/{item.pk}/claim/").status_code == 404
    )
    nj = ticket_at("JS-NJ")
    # An item of another ticket through this ticket's address: not found either.
    assert client.post(f"/backoffice/tickets/{nj.code}/items/{item.pk}/claim/").status_code == 404


def test_the_plain_ticket_page_links_a_complaint_to_the_back_office(login_client, frozen):
    complaint = ticket_at("JS-NJ")
    call = ticket_at("JS-NJ", kind=Ticket.Kind.PREPROCESSING, status=Ticket.Status.OPEN)
    client = login_client("js-nj-dispatcher")
    page = client.get(f"/tickets/{complaint.code}/").content.decode()
    assert f'href="/backoffice/tickets/{complaint.code}/"' in page
    plain = client.get(f"/tickets/{call.code}/")
    assert (
        plain.status_code == 200 and 'data-testid="back-office-page"' not in plain.content.decode()
    )


def test_headquarters_sees_the_provinces_items_not_every_citys(login_client, frozen):
    province = item_for(ticket_at("GD"), "GD-OPS")
    city = item_for(ticket_at("GD-GZ"), "GD-GZ-OPS")
    own = item_for(ticket_at("HQ"), "HQ-OPS")
    page = login_client("hq-dispatcher").get("/backoffice/todo/").content.decode()
    shown = codes(page, "todo-row")
    assert province.ticket.code in shown and own.ticket.code in shown
    assert city.ticket.code not in shown
    # Headquarters searches every province's tickets.
    found = codes(
        login_client("hq-dispatcher").get("/backoffice/search/").content.decode(), "search-row"
    )
    assert city.ticket.code in found


def test_done_pages_by_keyset(login_client, user, frozen):
    import re

    from firstcall.workflows import queries

    me = user("js-nj-dispatcher")
    ticket = ticket_at("JS-NJ")
    made = [
        TicketEvent.objects.create(
            ticket=ticket,
            user=me,
            actor="x",
            action="chased",
            note=f"n{i}",
            time=NOW - timedelta(minutes=i // 2),  # pairs share a time: the id breaks the tie
        )
        for i in range(queries.PAGE + 5)
    ]
    client = login_client("js-nj-dispatcher")
    first = client.get("/backoffice/done/").content.decode()
    after = re.search(r'after=([^"&]+)"', first)
    assert after
    second = client.get(f"/backoffice/done/?after={after.group(1)}").content.decode()
    notes = lambda page: re.findall(r">(n\d+)<", page)  # noqa: E731
    one, two = notes(first), notes(second)
    assert len(one) == queries.PAGE and len(two) == 5
    assert set(one) | set(two) == {e.note for e in made} and set(one).isdisjoint(two)


def test_the_ticket_page_shows_what_the_call_found(login_client, frozen):
    diagnosis = {"path": [{"step": "确认信号强度", "how": "auto", "label": "弱", "facts": {}}]}
    ticket = ticket_at("JS-NJ", diagnosis=diagnosis, summary="室内信号差")
    item_for(ticket, "JS-NJ-OPS")
    body = login_client("js-nj-dispatcher").get(f"/backoffice/tickets/{ticket.code}/")
    page = body.content.decode()
    assert 'data-testid="ticket-diagnosis"' in page and "确认信号强度" in page
    assert "室内信号差" in page
    bare = ticket_at("JS-NJ", diagnosis={"path": ["S1"]})
    item_for(bare, "JS-NJ-OPS")
    page = login_client("js-nj-dispatcher").get(f"/backoffice/tickets/{bare.code}/")
    assert 'data-testid="ticket-diagnosis"' not in page.content.decode()


def test_hostile_values_in_the_lists_filters(login_client, frozen):
    from firstcall.core.tests.hostile import HOSTILE

    client = login_client("js-dispatcher")
    fields = ("number", "code", "opened_from", "process", "unit", "overdue", "after")
    for url in ("/backoffice/search/", "/backoffice/search/export.xlsx"):
        for name in fields:
            for label, value in HOSTILE:
                response = client.get(url, {name: value})
                assert response.status_code in (200, 400, 422), (url, name, label)
    for url in ("/backoffice/todo/", "/backoffice/done/"):
        for label, value in HOSTILE:
            assert client.get(url, {"after": value}).status_code in (200, 400), (url, label)


def test_a_ticket_dispatched_to_a_province_is_seen_there(login_client, frozen):
    """Raised by headquarters, dispatched to Jiangsu: Jiangsu opens and finds it; Guangdong
    and a Jiangsu city do not."""
    ticket = ticket_at("HQ-CS", span=Ticket.Span.HEADQUARTERS)
    item_for(ticket, "JS-OPS")
    province = login_client("js-dispatcher")
    assert province.get(f"/backoffice/tickets/{ticket.code}/").status_code == 200
    found = codes(province.get("/backoffice/search/").content.decode(), "search-row")
    assert ticket.code in found
    for other in ("gd-dispatcher", "js-nj-dispatcher"):
        client = login_client(other)
        assert client.get(f"/backoffice/tickets/{ticket.code}/").status_code == 404
        assert ticket.code not in client.get("/backoffice/search/").content.decode()
