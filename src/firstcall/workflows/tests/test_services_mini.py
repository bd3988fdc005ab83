"""The operations on a tiny process of the tests' own (tests/mini.py): start, accept, dispatch
on 是否故障问题, return, quality-check fail, archive; the lock; the transition table."""

import pytest

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import Conflict, Forbidden, InvalidTransition, ValidationFailed
from firstcall.core.models import ObjectChange, OutboxMessage
from firstcall.sla.models import Clock
from firstcall.tickets.models import Ticket, TicketEvent
from firstcall.workflows import services, status
from firstcall.workflows.models import ProcessInstance, WorkItem
from firstcall.workflows.tests import mini
from firstcall.workflows.tests.helpers import converted, ctx_of, fresh, only, ready, step

pytestmark = pytest.mark.django_db
S = Ticket.Status
A = TicketEvent.Action
FEEDBACK = {"cause": "基站退服", "measures": "恢复传输", "result": "已恢复"}


@pytest.fixture
def ticket():
    mini.published(ChangeContext.for_cli("test"))
    ticket = converted()
    services.start(ChangeContext.for_cli("test"), ticket, "T-MINI", data={})
    return fresh(ticket)


def test_start_puts_the_acceptance_in_the_city_interface_with_its_clock(ticket):
    item = only(ticket)
    assert (item.task_spec, item.unit.code, item.flow_role) == ("accept", "JS-NJ-OPS", "dispatcher")
    assert ticket.status == S.ACCEPTING and ticket.current_step == "受理"
    clocks = {c.kind: c for c in Clock.objects.filter(ticket=ticket)}
    assert set(clocks) == {"accept", "regulatory"}
    assert item.due_at == clocks["accept"].deadline and ticket.due_at == item.due_at
    assert ticket.events.filter(action=A.STARTED).count() == 1
    assert (
        OutboxMessage.objects.filter(key__startswith="ticket.status_changed:")
        .filter(payload__data__id=ticket.pk, payload__data__status="accepting")
        .exists()
    )


def test_fault_branch_feedback_review_archive(ticket):
    accepted = step("js-nj-dispatcher", ticket, "accept")
    assert accepted.state == WorkItem.State.DONE and accepted.done_by.username == "js-nj-dispatcher"
    clocks = {c.kind: c.state for c in Clock.objects.filter(ticket=ticket)}
    assert clocks["accept"] == Clock.State.STOPPED and clocks["handle"] == Clock.State.RUNNING
    step("js-nj-dispatcher", ticket, "dispatch", is_fault="yes", is_coverage="no")
    item = only(ticket)
    assert (item.task_spec, item.unit.code) == ("maint", "JS-NJ-NMNT")
    assert fresh(ticket).status == S.IN_PROGRESS
    with pytest.raises(Forbidden):  # 网优 does not act on what was sent to 网维
        services.act(ctx_of("js-nj-netopt"), item, "feedback", FEEDBACK, revision=3)
    step("js-nj-netmaint", ticket, "feedback", **FEEDBACK)
    assert fresh(ticket).status == S.REVIEWING
    step("js-nj-dispatcher", ticket, "pass")
    step("js-nj-dispatcher", ticket, "archive", satisfaction="satisfied")
    done = fresh(ticket)
    assert done.status == S.ARCHIVED and done.closed_at is not None and not ready(done)
    instance = ProcessInstance.objects.get(ticket=ticket)
    assert instance.status == "completed"
    assert instance.path == ["accept", "dispatch", "maint", "review", "archive"]
    assert not Clock.objects.filter(ticket=ticket, state__in=Clock.LIVE).exists()
    actions = list(done.events.values_list("action", flat=True))
    assert actions[-5:] == [A.ACCEPTED, A.DISPATCHED, A.HANDLED, A.REVIEW_PASSED, A.ARCHIVED]
    assert done.events.filter(action=A.HANDLED, user__username="js-nj-netmaint").exists()


def test_coverage_branch_return_and_quality_fail_go_back_to_dispatch(ticket):
    step("js-nj-dispatcher", ticket, "accept")
    step("js-nj-dispatcher", ticket, "dispatch", is_fault="no", is_coverage="yes")
    assert only(ticket).unit.code == "JS-NJ-NOPT"
    with pytest.raises(ValidationFailed) as refused:
        step("js-nj-netopt", ticket, "return")
    assert set(refused.value.errors) == {"reason"}
    step("js-nj-netopt", ticket, "return", reason="不是覆盖问题")
    assert only(ticket).task_spec == "dispatch"
    assert fresh(ticket).events.filter(action=A.RETURNED, note="不是覆盖问题").exists()
    step("js-nj-dispatcher", ticket, "dispatch", is_fault="no", is_coverage="no")
    step("js-nj-netopt", ticket, "feedback", **FEEDBACK)
    with pytest.raises(ValidationFailed) as refused:
        step("js-nj-dispatcher", ticket, "fail")
    assert set(refused.value.errors) == {"opinion"}
    step("js-nj-dispatcher", ticket, "fail", opinion="措施不具体")
    assert only(ticket).task_spec == "dispatch" and fresh(ticket).status == S.IN_PROGRESS


def test_form_errors_and_unknown_actions_change_nothing(ticket):
    step("js-nj-dispatcher", ticket, "accept")
    item = only(ticket)
    revision = ProcessInstance.objects.get(ticket=ticket).revision
    with pytest.raises(ValidationFailed) as refused:
        services.act(
            ctx_of("js-nj-dispatcher"), item, "dispatch", {"is_fault": "maybe"}, revision=revision
        )
    assert set(refused.value.errors) == {"is_fault", "is_coverage"}
    with pytest.raises(ValidationFailed):
        services.act(ctx_of("js-nj-dispatcher"), item, "archive", {}, revision=revision)
    assert ProcessInstance.objects.get(ticket=ticket).revision == revision
    assert only(ticket).pk == item.pk


def test_a_stale_revision_is_a_conflict_with_the_current_state(ticket):
    item = only(ticket)
    revision = ProcessInstance.objects.get(ticket=ticket).revision
    services.act(ctx_of("js-nj-dispatcher"), item, "accept", {}, revision=revision)
    with pytest.raises(Conflict) as conflict:
        services.act(
            ctx_of("js-nj-dispatcher"),
            only(ticket),
            "dispatch",
            {"is_fault": "no", "is_coverage": "no"},
            revision=revision,
        )
    assert conflict.value.extra["status"] == S.IN_PROGRESS
    assert conflict.value.extra["revision"] == revision + 1


def test_acting_on_a_done_item_is_a_conflict(ticket):
    item = only(ticket)
    step("js-nj-dispatcher", ticket, "accept")
    with pytest.raises(Conflict):
        services.act(ctx_of("js-nj-dispatcher"), item, "accept", {}, revision=99)


def test_claim_keeps_others_off(ticket):
    item = only(ticket)
    claimed = services.claim(ctx_of("js-nj-dispatcher"), item)
    assert claimed.assignee.username == "js-nj-dispatcher"
    assert services.claim(ctx_of("js-nj-dispatcher"), item).pk == item.pk  # again: harmless
    with pytest.raises(Forbidden):
        services.claim(ctx_of("js-sz-dispatcher"), item)
    assert fresh(ticket).events.filter(action=A.CLAIMED).count() == 1


def test_transition_table_refuses_moves_it_does_not_list(ticket):
    cancelled = fresh(ticket)
    Ticket.objects.filter(pk=ticket.pk).update(status=S.CANCELLED)
    cancelled.refresh_from_db()
    with pytest.raises(InvalidTransition):
        status.record(ChangeContext.for_cli("test"), cancelled, A.ACCEPTED, status=S.IN_PROGRESS)
    assert (
        S.CANCELLED not in status.TRANSITIONS[S.CANCELLED] and not status.TRANSITIONS[S.CANCELLED]
    )


def test_every_step_leaves_audit_rows(ticket):
    ctx = ctx_of("js-nj-dispatcher")
    services.act(
        ctx,
        only(ticket),
        "accept",
        {},
        revision=ProcessInstance.objects.get(ticket=ticket).revision,
    )
    models = {c.content_type.model for c in ctx.changes}
    assert {"ticket", "workitem", "processinstance", "clock"} <= models
    assert all(c.actor.username == "js-nj-dispatcher" for c in ctx.changes)
    assert ObjectChange.objects.filter(pk__in=[c.pk for c in ctx.changes]).count() == len(
        ctx.changes
    )
