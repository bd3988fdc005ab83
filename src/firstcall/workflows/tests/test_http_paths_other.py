"""BO-COMPLAINT's three spans and BO-FAULT's two departments end to end through HTTP, worked
from each person's to-do list and the ticket page's forms as in test_http_paths.py:
headquarters dispatching to two provinces in parallel with one province's answer returned and a
failed quality check; a province raising a complaint across provinces through headquarters; a
province's complaint centre dispatching to a city and a department; a fault sent to 网维, and one
sent to 装维 returned by the handler and again at the close."""

import pytest

from firstcall.tickets.models import Ticket, TicketEvent
from firstcall.workflows.tests.helpers import fresh
from firstcall.workflows.tests.test_http_paths import (
    ARCHIVE,
    FEEDBACK,
    REPLY,
    Desk,
    cards,
    expect,
    path,
    started,
    unit_id,
)

pytestmark = pytest.mark.django_db
S = Ticket.Status
A = TicketEvent.Action
HQ_OPS = ("HQ-OPS", "dispatcher")


# --- BO-COMPLAINT ------------------------------------------------------------------------------


def test_headquarters_to_two_provinces_one_returned_and_the_quality_check_failed_once() -> None:
    hq, js, gd = Desk("hq-dispatcher"), Desk("js-dispatcher"), Desk("gd-dispatcher")
    ticket = started("BO-COMPLAINT", unit="HQ-CS", span="headquarters")
    expect(ticket, S.ACCEPTING, ("hq_dispatch", *HQ_OPS))
    hq.act(ticket, "hq_dispatch", "dispatch", targets=[unit_id("JS"), unit_id("GD")])
    expect(
        ticket,
        S.IN_PROGRESS,
        ("province_handle", "JS-OPS", "handler"),
        ("province_handle", "GD-OPS", "handler"),
    )
    assert len(gd.todo(ticket)) == 1 and len(js.todo(ticket)) == 1  # each its own province's
    js.act(ticket, "province_handle", "feedback", **FEEDBACK)
    expect(
        ticket,
        S.IN_PROGRESS,  # as far as its least advanced branch: Guangdong is still handling
        ("hq_review", *HQ_OPS),
        ("province_handle", "GD-OPS", "handler"),
    )
    gd.act(ticket, "province_handle", "feedback", **FEEDBACK)
    expect(ticket, S.REVIEWING, ("hq_review", *HQ_OPS), ("hq_review", *HQ_OPS))
    # Headquarters returns Guangdong's answer (the second review item) and passes Jiangsu's.
    reviews = sorted(pk for pk in hq.todo(ticket))
    hq.act(ticket, "hq_review", "return", item=reviews[1], reason="未说明原因")
    expect(
        ticket,
        S.IN_PROGRESS,  # Jiangsu's answer waits for its review; Guangdong handles again
        ("hq_review", *HQ_OPS),
        ("province_handle", "GD-OPS", "handler"),
    )
    assert not js.todo(ticket)  # Jiangsu's answer stands
    gd.act(ticket, "province_handle", "feedback", **FEEDBACK)
    for _round in range(2):
        hq.act(ticket, "hq_review", "pass", item=min(hq.todo(ticket)))
    expect(ticket, S.IN_PROGRESS, ("hq_close", *HQ_OPS))
    hq.act(ticket, "hq_close", "reply", **REPLY)
    expect(ticket, S.REVIEWING, ("quality", "HQ-CC", "reviewer"))
    Desk("hq-reviewer").act(ticket, "quality", "fail", opinion="回复不完整")
    expect(ticket, S.IN_PROGRESS, ("hq_close", *HQ_OPS))
    hq.act(ticket, "hq_close", "reply", **REPLY)
    Desk("hq-reviewer").act(ticket, "quality", "pass")
    expect(ticket, S.IN_PROGRESS, ("archive", *HQ_OPS))
    hq.act(ticket, "archive", "archive", **ARCHIVE)
    expect(ticket, S.ARCHIVED)
    returned = fresh(ticket).events.filter(action=A.RETURNED).values_list("note", flat=True)
    assert list(returned) == ["未说明原因"]


def test_cross_province_raised_by_a_province_through_headquarters() -> None:
    gd, hq = Desk("gd-dispatcher"), Desk("hq-dispatcher")
    ticket = started("BO-COMPLAINT", unit="GD-CS", span="cross_province")
    expect(ticket, S.ACCEPTING, ("raise", "GD-OPS", "dispatcher"))
    gd.act(ticket, "raise", "dispatch", note="涉及江苏")
    expect(ticket, S.ACCEPTING, ("hq_dispatch", *HQ_OPS))
    # The form does not offer the provinces here (test_the_provinces_are_offered_...): posted.
    hq.act(ticket, "hq_dispatch", "dispatch", offered=False, targets=[unit_id("JS")])
    expect(ticket, S.IN_PROGRESS, ("province_handle", "JS-OPS", "handler"))
    Desk("js-dispatcher").act(ticket, "province_handle", "feedback", **FEEDBACK)
    expect(ticket, S.REVIEWING, ("hq_review", *HQ_OPS))
    hq.act(ticket, "hq_review", "pass")
    expect(ticket, S.IN_PROGRESS, ("hq_reply", *HQ_OPS))
    hq.act(ticket, "hq_reply", "reply", **REPLY)
    expect(ticket, S.IN_PROGRESS, ("origin_close", "GD-OPS", "dispatcher"))
    gd.act(ticket, "origin_close", "reply", **REPLY)
    expect(ticket, S.REVIEWING, ("quality", "GD-CC", "reviewer"))
    Desk("gd-reviewer").act(ticket, "quality", "pass")
    expect(ticket, S.IN_PROGRESS, ("archive", "GD-OPS", "dispatcher"))
    gd.act(ticket, "archive", "archive", **ARCHIVE)
    expect(ticket, S.ARCHIVED)
    assert path(ticket)[:2] == ["raise", "hq_dispatch"]


def test_the_provinces_are_offered_at_headquarters_dispatch_of_a_cross_province_ticket() -> None:
    ticket = started("BO-COMPLAINT", unit="GD-CS", span="cross_province")
    Desk("gd-dispatcher").act(ticket, "raise", "dispatch")
    hq = Desk("hq-dispatcher")
    pk = hq.find(ticket, "hq_dispatch")
    _step, card = cards(hq.page(ticket))[pk]
    assert f'value="{unit_id("JS")}"' in card and f'value="{unit_id("SC")}"' in card


def test_within_a_province_to_a_city_and_a_department() -> None:
    centre = Desk("js-complaints")
    ticket = started("BO-COMPLAINT", unit="JS-NJ-CS-D1", span="city")
    expect(ticket, S.ACCEPTING, ("province_dispatch", "JS-CC", "dispatcher"))
    targets = [unit_id("JS-NJ"), unit_id("JS-SZ-NOPT")]
    centre.act(ticket, "province_dispatch", "dispatch", targets=targets)
    expect(
        ticket,
        S.IN_PROGRESS,
        ("unit_handle", "JS-NJ-OPS", "handler"),
        ("unit_handle", "JS-SZ-NOPT", "handler"),
    )
    assert not Desk("js-nj-netopt").todo(ticket)  # Suzhou's 网优, not Nanjing's
    Desk("js-nj-dispatcher").act(ticket, "unit_handle", "feedback", **FEEDBACK)
    Desk("js-sz-netopt").act(ticket, "unit_handle", "feedback", **FEEDBACK)
    expect(
        ticket,
        S.REVIEWING,
        ("province_review", "JS-CC", "dispatcher"),
        ("province_review", "JS-CC", "dispatcher"),
    )
    for _round in range(2):
        centre.act(ticket, "province_review", "pass", item=min(centre.todo(ticket)))
    expect(ticket, S.IN_PROGRESS, ("province_close", "JS-CC", "dispatcher"))
    centre.act(ticket, "province_close", "reply", **REPLY)
    expect(ticket, S.REVIEWING, ("quality", "JS-CC", "reviewer"))
    Desk("js-reviewer").act(ticket, "quality", "fail", opinion="未回访")
    expect(ticket, S.IN_PROGRESS, ("province_close", "JS-CC", "dispatcher"))
    centre.act(ticket, "province_close", "reply", **REPLY)
    Desk("js-reviewer").act(ticket, "quality", "pass")
    expect(ticket, S.IN_PROGRESS, ("archive", "JS-NJ-OPS", "dispatcher"))
    Desk("js-nj-dispatcher").act(ticket, "archive", "archive", **ARCHIVE)
    expect(ticket, S.ARCHIVED)


# --- BO-FAULT ----------------------------------------------------------------------------------

OPS = ("JS-NJ-OPS", "dispatcher")


def test_fault_to_network_maintenance_and_closed() -> None:
    dispatcher = Desk("js-nj-dispatcher")
    ticket = started("BO-FAULT", kind="fault")
    expect(ticket, S.ACCEPTING, ("dispatch", *OPS))
    dispatcher.act(ticket, "dispatch", "dispatch", targets=[unit_id("JS-NJ-NMNT")])
    expect(ticket, S.IN_PROGRESS, ("handle_network", "JS-NJ-NMNT", "handler"))
    assert not Desk("js-nj-field").todo(ticket)
    Desk("js-nj-netmaint").act(ticket, "handle_network", "feedback", alarm_found="no", **FEEDBACK)
    expect(ticket, S.IN_PROGRESS, ("close", *OPS))
    dispatcher.act(ticket, "close", "archive", **REPLY)
    expect(ticket, S.ARCHIVED)
    assert path(ticket) == ["dispatch", "handle_network", "close"]


def test_fault_to_field_maintenance_returned_by_the_handler_and_at_the_close() -> None:
    dispatcher, field = Desk("js-nj-dispatcher"), Desk("js-nj-field")
    ticket = started("BO-FAULT", kind="fault")
    dispatcher.act(ticket, "dispatch", "dispatch", targets=[unit_id("JS-NJ-NMNT")])
    netmaint = Desk("js-nj-netmaint")
    netmaint.act(ticket, "handle_network", "return", reason="非网络侧故障，请派装维")
    expect(ticket, S.ACCEPTING, ("dispatch", *OPS))
    dispatcher.act(ticket, "dispatch", "dispatch", targets=[unit_id("JS-NJ-FLD")])
    expect(ticket, S.IN_PROGRESS, ("handle_field", "JS-NJ-FLD", "handler"))
    assert not netmaint.todo(ticket)
    field.act(ticket, "handle_field", "feedback", **FEEDBACK)
    expect(ticket, S.IN_PROGRESS, ("close", *OPS))
    dispatcher.act(ticket, "close", "return", reason="用户仍无法上网")
    expect(ticket, S.IN_PROGRESS, ("handle_field", "JS-NJ-FLD", "handler"))  # the same handler
    field.act(ticket, "handle_field", "feedback", **FEEDBACK)
    dispatcher.act(ticket, "close", "archive", **REPLY)
    expect(ticket, S.ARCHIVED)
    returns = fresh(ticket).events.filter(action=A.RETURNED).count()
    assert returns == 2


# --- what a Chinese user reads on a converted ticket --------------------------------------------


def _converted_by_the_agent() -> Ticket:
    from firstcall.orgs.models import OrgUnit
    from firstcall.tickets import services as tickets
    from firstcall.workflows import services
    from firstcall.workflows.tests.helpers import ctx_of

    ctx = ctx_of("js-nj-agent")
    call = tickets.open_preprocessing(
        ctx,
        unit=OrgUnit.objects.get(code="JS-NJ-CS-D1"),
        customer_id="C13800001234",
        service_number="13800001234",
    )
    # As navigation.outcomes.diagnosis_of records a call's path: each step with its name.
    path = [
        {"step": "S1", "name": "询问无信号的范围", "how": "start", "label": "无信号/无4G图标"},
        {"step": "S5", "name": "查询小区覆盖", "how": "follow", "label": "弱覆盖"},
        {"step": "E-NETQ", "name": "派网优投诉单", "how": "auto", "label": ""},
    ]
    ticket = tickets.convert(
        ctx, call, kind="complaint", receiving_group="网优（走BO-NETQ）", diagnosis={"path": path}
    )
    services.start_for_call(ctx, ticket)
    return fresh(ticket)


def test_a_converted_tickets_source_reads_in_chinese() -> None:
    ticket = _converted_by_the_agent()
    dispatcher = Desk("js-nj-dispatcher")
    pk = dispatcher.find(ticket, "accept")
    todo = dispatcher.get("/backoffice/todo/")
    row = todo.split(f'data-item="{pk}"', 1)[1].split("</tr>", 1)[0]
    assert "hotline" not in row and "hotline" not in dispatcher.page(ticket)


def test_the_history_names_the_agent_not_their_username() -> None:
    ticket = _converted_by_the_agent()
    history = Desk("js-nj-dispatcher").page(ticket).split('data-testid="history"', 1)[1]
    assert "js-nj-agent" not in history and "南京坐席" in history


def test_the_diagnosis_shows_the_flows_step_names() -> None:
    ticket = _converted_by_the_agent()
    page = Desk("js-nj-dispatcher").page(ticket)
    table = page.split('data-testid="ticket-diagnosis"', 1)[1].split("</section>", 1)[0]
    assert ">E-NETQ<" not in table and "<td>派网优投诉单</td>" in table  # named, not coded


def test_a_province_works_a_ticket_headquarters_sent_it() -> None:
    """The ticket's own unit is headquarters'; the province it was dispatched to may open it,
    chase it and ask for a deferral of its step, like a ticket of its own."""
    hq, js = Desk("hq-dispatcher"), Desk("js-dispatcher")
    ticket = started("BO-COMPLAINT", unit="HQ-CS", span="headquarters")
    hq.act(ticket, "hq_dispatch", "dispatch", targets=[unit_id("JS")])
    assert 'data-operation="chase"' in js.page(ticket)
    js.operation(ticket, "chase", note="客户再次来电催促")
    assert fresh(ticket).events.filter(action=A.CHASED).count() == 1
