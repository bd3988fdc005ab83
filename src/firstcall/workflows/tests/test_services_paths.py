"""Every path of the seeded processes through the services, acted by the demo people who hold
each step: BO-MOBNET on 是否故障问题 / 是否覆盖问题, a return, a failed review, T2 and a reject;
BO-COMPLAINT in its three spans (headquarters to two provinces with one returned, across
provinces, within a province) with a failed quality check; BO-FAULT to 网维 and to 装维 with a
return at the close; a deferral on a seeded step; reopen after archive."""

from datetime import timedelta

import pytest

from firstcall.core import clock
from firstcall.core.audit import ChangeContext
from firstcall.core.errors import Forbidden
from firstcall.orgs.models import OrgUnit
from firstcall.sla.models import Clock
from firstcall.tickets.models import Ticket, TicketEvent
from firstcall.workflows import services
from firstcall.workflows.models import ProcessInstance, WorkItem
from firstcall.workflows.tests.helpers import converted, ctx_of, fresh, only, ready

pytestmark = pytest.mark.django_db
S = Ticket.Status
A = TicketEvent.Action
FEEDBACK = {"cause": "基站退服", "measures": "恢复传输", "result": "已恢复"}
REPLY = {"reply": "已联系用户解释", "customer_answered": "yes", "contact_time": "2026-12-08 10:00"}
ARCHIVE = {"satisfaction": "satisfied"}


def unit_id(code: str) -> int:
    return OrgUnit.objects.get(code=code).pk


def act(username: str, ticket: Ticket, spec: str, action: str, unit: str = "", **fields):
    """Act on the ticket's ready item of step `spec` (at `unit` when several are ready)."""
    candidates = [i for i in ready(ticket) if i.task_spec == spec]
    if unit:
        candidates = [i for i in candidates if i.unit.code == unit]
    assert len(candidates) == 1, [(i.task_spec, i.unit.code) for i in ready(ticket)]
    item = candidates[0]
    revision = ProcessInstance.objects.get(ticket=ticket).revision
    services.act(ctx_of(username), item, action, fields, revision=revision)
    return item


def started(process: str, *, unit: str = "JS-NJ-CS-D1", kind: str = "complaint", **data):
    ticket = converted(unit=unit, kind=kind, number=f"1380000{WorkItem.objects.count():04d}")
    services.start(ChangeContext.for_cli("test"), ticket, process, data=data)
    return fresh(ticket)


def specs(ticket: Ticket) -> list[tuple[str, str]]:
    return sorted((i.task_spec, i.unit.code) for i in ready(ticket))


def path(ticket: Ticket) -> list[str]:
    return ProcessInstance.objects.get(ticket=ticket).path


# --- BO-MOBNET ---------------------------------------------------------------------------------


def _mobnet_to(is_fault: str, is_coverage: str) -> Ticket:
    ticket = started("BO-MOBNET", span="city")
    assert specs(ticket) == [("accept", "JS-NJ-OPS")] and ticket.status == S.ACCEPTING
    act("js-nj-dispatcher", ticket, "accept", "accept")
    act(
        "js-nj-dispatcher",
        ticket,
        "analyse",
        "dispatch",
        is_fault=is_fault,
        is_coverage=is_coverage,
    )
    return ticket


def _review_reply_archive(ticket: Ticket) -> None:
    act("js-nj-dispatcher", ticket, "review", "pass")
    act("js-nj-dispatcher", ticket, "reply", "reply", **REPLY)
    act("js-nj-dispatcher", ticket, "archive", "archive", **ARCHIVE)
    done = fresh(ticket)
    assert done.status == S.ARCHIVED and not ready(done) and done.reply == REPLY["reply"]


def test_mobnet_fault_goes_to_network_maintenance():
    ticket = _mobnet_to("yes", "no")
    assert specs(ticket) == [("handle_maintenance", "JS-NJ-NMNT")]
    act(
        "js-nj-netmaint",
        ticket,
        "handle_maintenance",
        "feedback",
        alarm_found="yes",
        alarm_detail="退服告警",
        fault_ticket="GZ-001",
        **FEEDBACK,
    )
    _review_reply_archive(ticket)
    assert path(ticket) == ["accept", "analyse", "handle_maintenance", "review", "reply", "archive"]


def test_mobnet_coverage_goes_to_optimisation_returned_once_then_review_fails_once():
    ticket = _mobnet_to("no", "yes")
    assert specs(ticket) == [("handle_optimisation", "JS-NJ-NOPT")]
    act("js-nj-netopt", ticket, "handle_optimisation", "return", reason="非覆盖问题，请重新分析")
    assert specs(ticket) == [("analyse", "JS-NJ-OPS")]
    act("js-nj-dispatcher", ticket, "analyse", "dispatch", is_fault="no", is_coverage="yes")
    act(
        "js-nj-netopt",
        ticket,
        "handle_optimisation",
        "feedback",
        cell_ci="4601-1234",
        cell_name="湖东花园1",
        area_type="indoor",
        planned_fix="yes",
        planned_date="2027-01-10",
        **FEEDBACK,
    )
    act("js-nj-dispatcher", ticket, "review", "fail", opinion="未说明规划站点")
    assert specs(ticket) == [("handle_optimisation", "JS-NJ-NOPT")]
    act("js-nj-netopt", ticket, "handle_optimisation", "feedback", **FEEDBACK)
    _review_reply_archive(ticket)
    events = list(fresh(ticket).events.values_list("action", flat=True))
    assert A.RETURNED in events and A.REVIEW_FAILED in events


def test_mobnet_neither_fault_nor_coverage_is_handled_by_the_interface_person():
    ticket = _mobnet_to("no", "no")
    assert specs(ticket) == [("handle_self", "JS-NJ-OPS")]
    act("js-nj-dispatcher", ticket, "handle_self", "feedback", **FEEDBACK)
    act("js-nj-dispatcher", ticket, "reply", "reply", **REPLY)
    act("js-nj-dispatcher", ticket, "archive", "archive", **ARCHIVE)
    assert fresh(ticket).status == S.ARCHIVED


def test_mobnet_repeat_complaint_goes_to_the_provinces_second_tier():
    ticket = started("BO-MOBNET", span="city", repeat_count=1)
    assert (ticket.tier, ticket.priority) == ("T2", "high")
    act("js-nj-dispatcher", ticket, "accept", "accept")
    assert specs(ticket) == [("handle_t2", "JS-CC")]
    with pytest.raises(Forbidden):
        act("js-nj-netopt", ticket, "handle_t2", "feedback", **FEEDBACK)
    act("js-complaints", ticket, "handle_t2", "feedback", **FEEDBACK)
    _review_reply_archive(ticket)


def _live(ticket: Ticket) -> set[str]:
    return set(
        Clock.objects.filter(ticket=ticket, state__in=Clock.LIVE).values_list("kind", flat=True)
    )


def test_mobnet_tier_clocks_t1_on_the_first_tier_and_t2_when_review_fails_on_a_repeat():
    ticket = _mobnet_to("yes", "no")
    assert _live(ticket) == {"regulatory", "handle", "t1"}
    plain = started("BO-MOBNET", span="city", repeat_count=1)
    act("js-nj-dispatcher", plain, "accept", "accept")
    assert _live(plain) == {"regulatory", "handle", "t2"}
    act("js-complaints", plain, "handle_t2", "feedback", **FEEDBACK)
    _review_reply_archive(plain)
    assert _live(plain) == set()


def test_mobnet_rejected_at_acceptance_ends():
    ticket = started("BO-MOBNET", span="city")
    act("js-nj-dispatcher", ticket, "accept", "reject", reason="非本市用户")
    done = fresh(ticket)
    assert not ready(done) and done.events.filter(action=A.REJECTED, note="非本市用户").exists()


def test_mobnet_deferral_on_the_handling_step():
    ticket = _mobnet_to("no", "yes")
    until = clock.now() + timedelta(days=3)
    approval = services.request_deferral(ctx_of("js-nj-netopt"), ticket, until, "等待扩容")
    assert approval.unit.code == "JS-NJ" and fresh(ticket).status == S.DEFERRED
    services.decide_deferral(ctx_of("js-nj-supervisor"), ticket, True, "同意")
    assert fresh(ticket).status == S.IN_PROGRESS and only(ticket).due_at == until


def test_mobnet_reopen_after_archive():
    ticket = _mobnet_to("yes", "no")
    act("js-nj-netmaint", ticket, "handle_maintenance", "feedback", **FEEDBACK)
    _review_reply_archive(ticket)
    services.reopen(ctx_of("js-nj-dispatcher"), ticket, "用户不满意")
    again = fresh(ticket)
    assert again.status == S.ACCEPTING and again.tier == "T2"
    act("js-nj-dispatcher", again, "accept", "accept")
    assert specs(again) == [("handle_t2", "JS-CC")]  # a reopened one is handled at T2


# --- BO-COMPLAINT ------------------------------------------------------------------------------


def test_headquarters_to_two_provinces_with_one_returned():
    ticket = started("BO-COMPLAINT", unit="HQ-CS", span="headquarters")
    assert specs(ticket) == [("hq_dispatch", "HQ-OPS")]
    act("hq-dispatcher", ticket, "hq_dispatch", "dispatch", targets=[unit_id("JS"), unit_id("GD")])
    assert specs(ticket) == [("province_handle", "GD-OPS"), ("province_handle", "JS-OPS")]
    with pytest.raises(Forbidden):
        act("gd-dispatcher", ticket, "province_handle", "feedback", unit="JS-OPS", **FEEDBACK)
    act("js-dispatcher", ticket, "province_handle", "feedback", unit="JS-OPS", **FEEDBACK)
    act("gd-dispatcher", ticket, "province_handle", "feedback", unit="GD-OPS", **FEEDBACK)
    reviews = [i for i in ready(ticket) if i.task_spec == "hq_review"]
    assert len(reviews) == 2  # one per province, in the order they fed back: GD's second
    revision = ProcessInstance.objects.get(ticket=ticket).revision
    services.act(
        ctx_of("hq-dispatcher"), reviews[1], "return", {"reason": "未说明原因"}, revision=revision
    )
    assert specs(ticket) == [("hq_review", "HQ-OPS"), ("province_handle", "GD-OPS")]
    act("gd-dispatcher", ticket, "province_handle", "feedback", **FEEDBACK)
    for review in [i for i in ready(ticket) if i.task_spec == "hq_review"]:
        revision = ProcessInstance.objects.get(ticket=ticket).revision
        services.act(ctx_of("hq-dispatcher"), review, "pass", {}, revision=revision)
    assert specs(ticket) == [("hq_close", "HQ-OPS")]
    act("hq-dispatcher", ticket, "hq_close", "reply", **REPLY)
    assert specs(ticket) == [("quality", "HQ-CC")]
    act("hq-reviewer", ticket, "quality", "fail", opinion="回复不完整")
    assert specs(ticket) == [("hq_close", "HQ-OPS")]
    act("hq-dispatcher", ticket, "hq_close", "reply", **REPLY)
    act("hq-reviewer", ticket, "quality", "pass")
    act("hq-dispatcher", ticket, "archive", "archive", **ARCHIVE)
    assert fresh(ticket).status == S.ARCHIVED


def test_cross_province_raised_by_a_province_through_headquarters():
    ticket = started("BO-COMPLAINT", unit="GD-CS", span="cross_province")
    assert specs(ticket) == [("raise", "GD-OPS")]
    act("gd-dispatcher", ticket, "raise", "dispatch")
    act("hq-dispatcher", ticket, "hq_dispatch", "dispatch", targets=[unit_id("JS")])
    act("js-dispatcher", ticket, "province_handle", "feedback", **FEEDBACK)
    act("hq-dispatcher", ticket, "hq_review", "pass")
    act("hq-dispatcher", ticket, "hq_reply", "reply", **REPLY)
    assert specs(ticket) == [("origin_close", "GD-OPS")]
    act("gd-dispatcher", ticket, "origin_close", "reply", **REPLY)
    act("gd-reviewer", ticket, "quality", "pass")
    act("gd-dispatcher", ticket, "archive", "archive", **ARCHIVE)
    assert fresh(ticket).status == S.ARCHIVED


def test_within_a_province_to_its_cities_and_a_department():
    ticket = started("BO-COMPLAINT", unit="JS-NJ-CS-D1", span="city")
    assert specs(ticket) == [("province_dispatch", "JS-CC")]
    act(
        "js-complaints",
        ticket,
        "province_dispatch",
        "dispatch",
        targets=[unit_id("JS-NJ"), unit_id("JS-SZ-NOPT")],
    )
    assert specs(ticket) == [("unit_handle", "JS-NJ-OPS"), ("unit_handle", "JS-SZ-NOPT")]
    act("js-nj-dispatcher", ticket, "unit_handle", "feedback", unit="JS-NJ-OPS", **FEEDBACK)
    act("js-sz-netopt", ticket, "unit_handle", "feedback", unit="JS-SZ-NOPT", **FEEDBACK)
    for review in [i for i in ready(ticket) if i.task_spec == "province_review"]:
        revision = ProcessInstance.objects.get(ticket=ticket).revision
        services.act(ctx_of("js-complaints"), review, "pass", {}, revision=revision)
    act("js-complaints", ticket, "province_close", "reply", **REPLY)
    assert specs(ticket) == [("quality", "JS-CC")]
    act("js-reviewer", ticket, "quality", "pass")
    assert specs(ticket) == [("archive", "JS-NJ-OPS")]
    act("js-nj-dispatcher", ticket, "archive", "archive", **ARCHIVE)
    assert fresh(ticket).status == S.ARCHIVED


# --- BO-FAULT ----------------------------------------------------------------------------------


def test_fault_to_network_maintenance_and_closed():
    ticket = started("BO-FAULT", kind="fault")
    assert specs(ticket) == [("dispatch", "JS-NJ-OPS")]
    act("js-nj-dispatcher", ticket, "dispatch", "dispatch", targets=[unit_id("JS-NJ-NMNT")])
    assert specs(ticket) == [("handle_network", "JS-NJ-NMNT")]
    act("js-nj-netmaint", ticket, "handle_network", "feedback", **FEEDBACK)
    act("js-nj-dispatcher", ticket, "close", "archive", **REPLY)
    assert fresh(ticket).status == S.ARCHIVED


def test_fault_to_field_maintenance_returned_at_the_close():
    ticket = started("BO-FAULT", kind="fault")
    act("js-nj-dispatcher", ticket, "dispatch", "dispatch", targets=[unit_id("JS-NJ-FLD")])
    assert specs(ticket) == [("handle_field", "JS-NJ-FLD")]
    act("js-nj-field", ticket, "handle_field", "feedback", **FEEDBACK)
    act("js-nj-dispatcher", ticket, "close", "return", reason="用户仍无法上网")
    assert specs(ticket) == [("handle_field", "JS-NJ-FLD")]
    act("js-nj-field", ticket, "handle_field", "feedback", **FEEDBACK)
    act("js-nj-dispatcher", ticket, "close", "archive", **REPLY)
    assert fresh(ticket).status == S.ARCHIVED
