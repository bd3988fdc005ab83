"""Who may act where: a city's handler never acts on another city's item, a department's
handler not on another department's, the supervisor's deferral approval stays in its city, and
a converted call starts its process with the first item at the caller's city's interface."""

import pytest

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import Forbidden
from firstcall.navigation import outcomes
from firstcall.navigation.tests.test_calls import agent_ctx, start_call
from firstcall.tickets.models import Ticket, TicketEvent
from firstcall.workflows import access, services
from firstcall.workflows.models import ProcessInstance, ProcessVersion
from firstcall.workflows.tests import mini
from firstcall.workflows.tests.helpers import converted, ctx_of, fresh, only, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket():
    mini.published(ChangeContext.for_cli("test"))
    ticket = converted()
    services.start(ChangeContext.for_cli("test"), ticket, "T-MINI", data={})
    return fresh(ticket)


def test_another_citys_dispatcher_and_handler_are_refused(ticket):
    item = only(ticket)
    for username in ("js-sz-dispatcher", "gd-gz-dispatcher", "js-nj-netopt", "js-nj-agent"):
        with pytest.raises(Forbidden):
            services.act(ctx_of(username), item, "accept", {}, revision=1)
    step("js-nj-dispatcher", ticket, "accept")
    step("js-nj-dispatcher", ticket, "dispatch", is_fault="no", is_coverage="no")
    item = only(ticket)
    assert item.unit.code == "JS-NJ-NOPT"
    with pytest.raises(Forbidden):
        services.act(ctx_of("js-sz-netopt"), item, "feedback", {}, revision=3)
    user = ctx_of("js-sz-netopt").actor
    assert not access.may_act(user, item) and access.may_act(ctx_of("js-nj-netopt").actor, item)


def test_an_item_claimed_by_one_handler_is_not_anothers(ticket):
    item = only(ticket)
    services.claim(ctx_of("admin"), item)
    item.refresh_from_db()
    assert not access.may_act(ctx_of("js-nj-dispatcher").actor, item)


def _published(code: str, kind: str) -> None:
    if not ProcessVersion.objects.filter(process__code=code, status="published").exists():
        mini.published(ChangeContext.for_cli("test"), code=code, kind=kind)


def test_a_converted_complaint_starts_its_process_at_the_citys_interface():
    _published("BO-MOBNET", "complaint")
    ctx = agent_ctx()
    new = outcomes.convert(
        ctx, start_call(ctx), kind="complaint", receiving_group="网优（走BO-NETQ）"
    )
    instance = ProcessInstance.objects.get(ticket=new)
    assert instance.version.process.code == "BO-MOBNET"
    item = only(new)
    assert item.unit.code == "GD-SZ-OPS" and item.flow_role == "dispatcher"
    assert new.status == Ticket.Status.ACCEPTING and new.span == "city"
    assert instance.data["target_kind"] == "network_optimisation"
    assert new.caller_description == new.converted_from.caller_description
    assert new.events.filter(action=TicketEvent.Action.STARTED).exists()


def test_a_converted_fault_runs_the_fault_process_and_a_repeat_goes_to_t2():
    _published("BO-FAULT", "fault")
    _published("BO-COMPLAINT", "complaint")
    ctx = agent_ctx()
    fault = outcomes.convert(ctx, start_call(ctx), kind="fault", receiving_group="装维（上门）")
    assert ProcessInstance.objects.get(ticket=fault).version.process.code == "BO-FAULT"
    assert ProcessInstance.objects.get(ticket=fault).data["target_kind"] == "field_maintenance"
    again = outcomes.convert(ctx, start_call(ctx), kind="complaint", receiving_group="计费组")
    assert ProcessInstance.objects.get(ticket=again).version.process.code == "BO-COMPLAINT"
    assert again.repeat_count >= 1 and again.tier == "T2" and again.priority == "high"


def test_without_a_published_process_the_converted_ticket_stays_open():
    ProcessVersion.objects.filter(process__code="BO-COMPLAINT").update(status="retired")
    ctx = agent_ctx()
    new = outcomes.convert(ctx, start_call(ctx), kind="complaint", receiving_group="计费组")
    assert new.status == Ticket.Status.OPEN
    assert not ProcessInstance.objects.filter(ticket=new).exists()
