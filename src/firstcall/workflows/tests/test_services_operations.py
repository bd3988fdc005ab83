"""The ticket-wide operations on the tests' tiny process: deferral approved and refused (the
handling clock paused and resumed), transfer and redispatch, chase and stage messages, cancel,
reopen after archive, and T2 for a repeat complaint."""

from datetime import timedelta

import pytest

from firstcall.core import clock
from firstcall.core.audit import ChangeContext
from firstcall.core.errors import Conflict, Forbidden, InvalidTransition, ValidationFailed
from firstcall.core.models import OutboxMessage
from firstcall.orgs.models import OrgUnit
from firstcall.sla.models import Clock
from firstcall.tickets.models import Ticket, TicketEvent
from firstcall.workflows import services
from firstcall.workflows.models import ProcessInstance, WorkItem
from firstcall.workflows.tests import mini
from firstcall.workflows.tests.helpers import converted, ctx_of, fresh, only, ready, step

pytestmark = pytest.mark.django_db
S = Ticket.Status
A = TicketEvent.Action
FEEDBACK = {"cause": "参数", "measures": "调整", "result": "已改善"}


@pytest.fixture
def ticket():
    mini.published(ChangeContext.for_cli("test"))
    ticket = converted()
    services.start(ChangeContext.for_cli("test"), ticket, "T-MINI", data={})
    return fresh(ticket)


@pytest.fixture
def at_netopt(ticket):
    step("js-nj-dispatcher", ticket, "accept")
    step("js-nj-dispatcher", ticket, "dispatch", is_fault="no", is_coverage="yes")
    return fresh(ticket)


def _handle(ticket):
    return Clock.objects.get(ticket=ticket, kind="handle", state__in=Clock.LIVE)


def test_deferral_approved_pauses_then_resumes_with_the_new_due_time(at_netopt):
    until = clock.now() + timedelta(days=5)
    approval = services.request_deferral(ctx_of("js-nj-netopt"), at_netopt, until, "等待扩容")
    assert (approval.flow_role, approval.task_spec, approval.unit.code) == (
        "supervisor",
        "deferral",
        "JS-NJ",
    )
    assert fresh(at_netopt).status == S.DEFERRED and _handle(at_netopt).state == Clock.State.PAUSED
    handler_item = next(i for i in ready(at_netopt) if i.task_spec == "opt")
    with pytest.raises(Conflict):  # no step while the supervisor decides
        services.act(ctx_of("js-nj-netopt"), handler_item, "feedback", FEEDBACK, revision=99)
    with pytest.raises(Forbidden):
        services.decide_deferral(ctx_of("js-nj-netopt"), at_netopt, True)
    with pytest.raises(Forbidden):  # another city's supervisor
        services.decide_deferral(ctx_of("js-sz-supervisor"), at_netopt, True)
    services.decide_deferral(ctx_of("js-nj-supervisor"), at_netopt, True, "同意")
    ticket = fresh(at_netopt)
    assert ticket.status == S.IN_PROGRESS and _handle(ticket).state == Clock.State.RUNNING
    handler_item.refresh_from_db()
    assert handler_item.due_at == until and ticket.due_at == until
    approval.refresh_from_db()
    assert approval.state == WorkItem.State.DONE and approval.action == "approve"
    actions = list(ticket.events.values_list("action", flat=True))
    assert A.DEFERRAL_ASKED in actions and A.DEFERRAL_APPROVED in actions


def test_deferral_refused_resumes_and_keeps_the_due_time(at_netopt):
    due = only(at_netopt).due_at
    approval = services.request_deferral(
        ctx_of("js-nj-netopt"), at_netopt, clock.now() + timedelta(days=2), "用户出差"
    )
    with pytest.raises(Conflict):  # one request at a time
        services.request_deferral(
            ctx_of("js-nj-netopt"), at_netopt, clock.now() + timedelta(days=3), "again"
        )
    revision = ProcessInstance.objects.get(ticket=at_netopt).revision
    services.act(
        ctx_of("js-nj-supervisor"), approval, "refuse", {"note": "不同意"}, revision=revision
    )
    ticket = fresh(at_netopt)
    assert ticket.status == S.IN_PROGRESS and _handle(ticket).state == Clock.State.RUNNING
    assert only(ticket).due_at == due
    assert ticket.events.filter(action=A.DEFERRAL_REFUSED).exists()


def test_a_deferral_needs_a_future_time_and_a_reason(at_netopt):
    with pytest.raises(ValidationFailed) as refused:
        services.request_deferral(ctx_of("js-nj-netopt"), at_netopt, clock.now(), "")
    assert set(refused.value.errors) == {"until", "reason"}


def test_transfer_to_another_city_netopt_and_not_to_another_kind(at_netopt):
    item = only(at_netopt)
    with pytest.raises(ValidationFailed):
        services.transfer(ctx_of("js-nj-netopt"), item, OrgUnit.objects.get(code="JS-NJ-NMNT"))
    with pytest.raises(ValidationFailed):  # another province
        services.transfer(ctx_of("js-nj-netopt"), item, OrgUnit.objects.get(code="GD-GZ-NOPT"))
    moved = services.transfer(
        ctx_of("js-nj-netopt"), item, OrgUnit.objects.get(code="JS-SZ-NOPT"), "属苏州"
    )
    assert moved.unit.code == "JS-SZ-NOPT" and moved.unit_path == moved.unit.path
    with pytest.raises(Forbidden):  # it is Suzhou's now
        services.act(ctx_of("js-nj-netopt"), moved, "feedback", FEEDBACK, revision=99)
    step("js-sz-netopt", at_netopt, "feedback", **FEEDBACK)
    assert fresh(at_netopt).events.filter(action=A.HANDED_OVER).count() == 1


def test_redispatch_by_the_dispatcher_only(at_netopt):
    item = only(at_netopt)
    with pytest.raises(Forbidden):
        services.redispatch(ctx_of("js-nj-netopt"), item, OrgUnit.objects.get(code="JS-NJ-NMNT"))
    moved = services.redispatch(
        ctx_of("js-nj-dispatcher"), item, OrgUnit.objects.get(code="JS-NJ-NMNT"), "应属网维"
    )
    assert moved.unit.code == "JS-NJ-NMNT"
    step("js-nj-netmaint", at_netopt, "feedback", **FEEDBACK)
    assert fresh(at_netopt).events.filter(action=A.REDISPATCHED).exists()


def test_chase_and_stage_messages(at_netopt):
    services.chase(ctx_of("js-nj-agent"), at_netopt, "用户再次来电催促")
    assert OutboxMessage.objects.filter(key__startswith="ticket.chased:").exists()
    with pytest.raises(Forbidden):
        services.chase(ctx_of("gd-gz-agent"), at_netopt, "x")
    with pytest.raises(ValidationFailed):
        services.chase(ctx_of("js-nj-agent"), at_netopt, " ")
    services.stage_reply(ctx_of("js-nj-netopt"), at_netopt, "已安排路测")
    with pytest.raises(Forbidden):  # 网维 has no item on it
        services.stage_reply(ctx_of("js-nj-netmaint"), at_netopt, "x")
    services.stage_notice(ctx_of("js-nj-dispatcher"), at_netopt, "请今日内反馈")
    events = fresh(at_netopt).events
    assert events.filter(action=A.CHASED, user__username="js-nj-agent").exists()
    assert events.filter(action=A.STAGE_REPLY, note="已安排路测").exists()
    assert events.filter(action=A.STAGE_NOTICE).exists()


def test_cancel_ends_the_process_items_and_clocks(at_netopt):
    with pytest.raises(Forbidden):
        services.cancel(ctx_of("js-nj-netopt"), at_netopt, "重复工单")
    services.cancel(ctx_of("js-nj-dispatcher"), at_netopt, "重复工单")
    ticket = fresh(at_netopt)
    assert ticket.status == S.CANCELLED and not ready(ticket)
    assert ProcessInstance.objects.get(ticket=ticket).status == "cancelled"
    assert not Clock.objects.filter(ticket=ticket, state__in=Clock.LIVE).exists()
    with pytest.raises(InvalidTransition):
        services.cancel(ctx_of("js-nj-dispatcher"), ticket, "again")


def test_reopen_after_archive_starts_a_new_round_at_t2(at_netopt):
    with pytest.raises(InvalidTransition):
        services.reopen(ctx_of("js-nj-dispatcher"), at_netopt, "不满意")
    step("js-nj-netopt", at_netopt, "feedback", **FEEDBACK)
    step("js-nj-dispatcher", at_netopt, "pass")
    step("js-nj-dispatcher", at_netopt, "archive", satisfaction="not_satisfied")
    assert fresh(at_netopt).status == S.ARCHIVED
    services.reopen(ctx_of("js-nj-dispatcher"), at_netopt, "用户不满意")
    ticket = fresh(at_netopt)
    assert ticket.status == S.ACCEPTING and ticket.tier == "T2" and ticket.priority == "high"
    assert ticket.closed_at is None and only(ticket).task_spec == "accept"
    instance = ProcessInstance.objects.get(ticket=ticket)
    assert instance.status == "running" and instance.data["round"] == 2
    assert instance.path[:3] == ["accept", "dispatch", "opt"]
    assert Clock.objects.filter(ticket=ticket, kind="accept", state="running").exists()


def test_a_repeat_complaint_goes_to_t2_one_priority_up():
    mini.published(ChangeContext.for_cli("test"))
    ticket = converted()
    services.start(ChangeContext.for_cli("test"), ticket, "T-MINI", data={"repeat_count": 1})
    ticket = fresh(ticket)
    assert (ticket.tier, ticket.priority, ticket.repeat_count) == ("T2", "high", 1)
    assert only(ticket).priority == "high"
    assert ticket.events.filter(action=A.ESCALATED).exists()
    plain = converted(number="13900001111")
    services.start(ChangeContext.for_cli("test"), plain, "T-MINI", data={})
    assert (fresh(plain).tier, fresh(plain).priority) == ("T1", "normal")


def test_a_second_start_is_a_conflict(ticket):
    with pytest.raises(Conflict):
        services.start(ChangeContext.for_cli("test"), ticket, "T-MINI", data={})
