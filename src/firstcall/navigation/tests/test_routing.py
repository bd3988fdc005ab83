"""A converted ticket goes where the routing rule set sends it: the flow's group kept, a repeat
complaint sent to T2 with its priority raised, a 5-star customer's priority raised, the agent's
own choice recorded as an override, and no half-written ticket when the rules cannot decide."""

import pytest

from firstcall.core.errors import ValidationFailed
from firstcall.navigation import outcomes, runtime
from firstcall.navigation.routing import star_of
from firstcall.navigation.tests.test_calls import agent_ctx, start_call
from firstcall.rules.models import RuleSetVersion
from firstcall.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def converted(end: str = "", **kwargs):
    ctx = agent_ctx()
    session = start_call(ctx)
    if end:
        session = runtime.jump(ctx, session, end)
    return outcomes.convert(ctx, session, **kwargs)


def test_the_flows_group_and_priority_are_kept_by_the_rules():
    new = converted("E-FAULT-FIELD")
    assert (new.receiving_group, new.priority) == ("装维（端口/跳线核查）", "normal")
    routing = new.diagnosis["routing"]
    assert routing["rule_set"] == "ticket-routing" and routing["row"] == 3
    assert routing["inputs"]["flow_group"] == "装维（端口/跳线核查）"
    assert routing["overridden"] is False


def test_a_repeat_complaint_goes_to_t2_with_its_priority_raised():
    first = converted("E-BACKOFFICE-DATA")
    assert first.receiving_group.startswith("宽带数据") and first.priority == "normal"
    again = converted("E-BACKOFFICE-DATA")
    assert (again.receiving_group, again.priority) == ("省投诉处理中心（T2）", "high")
    assert again.diagnosis["routing"]["inputs"]["repeat_count"] == 1
    assert again.diagnosis["routing"]["row"] == 1


def test_a_five_star_customers_ticket_is_raised_one_level():
    ctx = agent_ctx()
    session = start_call(ctx)
    Ticket.objects.filter(pk=session.ticket.pk).update(customer_level="5星白金")
    session.ticket.refresh_from_db()
    new = outcomes.convert(ctx, runtime.jump(ctx, session, "E-FAULT-FIELD"))
    assert (new.receiving_group, new.priority) == ("装维（端口/跳线核查）", "high")
    assert new.customer_level == "5星白金"


def test_where_the_flow_names_no_group_the_table_falls_back_by_scenario():
    new = converted(kind="fault")  # the call stands on its first step
    assert new.receiving_group == "装维" and new.diagnosis["routing"]["inputs"]["scenario"] == "FBB"


def test_a_complaint_where_the_flow_names_no_group_goes_to_the_complaint_centre():
    assert converted(kind="complaint").receiving_group == "客服投诉处理中心"


def test_the_agents_own_group_overrides_the_rules_and_says_so():
    new = converted("E-FAULT-FIELD", receiving_group="宽带专家组")
    assert new.receiving_group == "宽带专家组"
    assert new.diagnosis["routing"]["overridden"] is True
    assert new.diagnosis["routing"]["group"] == "装维（端口/跳线核查）"


def test_without_published_rules_the_agent_must_name_the_group_and_nothing_is_written():
    RuleSetVersion.objects.update(status="retired")
    ctx = agent_ctx()
    session = runtime.jump(ctx, start_call(ctx), "E-FAULT-FIELD")
    with pytest.raises(ValidationFailed) as failed:
        outcomes.convert(ctx, session)
    assert "receiving_group" in failed.value.errors
    assert not Ticket.objects.filter(converted_from=session.ticket).exists()
    assert Ticket.objects.get(pk=session.ticket.pk).status == Ticket.Status.OPEN
    new = outcomes.convert(ctx, session, receiving_group="装维")
    assert new.receiving_group == "装维" and "error" in new.diagnosis["routing"]


def test_the_call_page_previews_where_the_rules_send_the_ticket(login_client):
    ctx = agent_ctx("gd-sz-agent")
    session = runtime.jump(ctx, start_call(ctx), "E-FAULT-FIELD")
    client = login_client("gd-sz-agent")
    shown = client.get(f"/agent/calls/{session.pk}/routing/").content.decode()
    assert 'data-group="装维（端口/跳线核查）"' in shown and 'data-priority="normal"' in shown
    complaint = client.get(f"/agent/calls/{session.pk}/routing/?kind=complaint").content.decode()
    assert (
        'data-group="装维（端口/跳线核查）"' in complaint
    )  # the end step's group, for either kind
    other = login_client("js-nj-agent").get(f"/agent/calls/{session.pk}/routing/")
    assert other.status_code in (403, 404)


@pytest.mark.parametrize(
    ("level", "stars"), [("5星白金", 5.0), ("0星", 0.0), ("", 0.0), ("未评星", 0.0)]
)
def test_star_level(level, stars):
    assert star_of(level) == stars
