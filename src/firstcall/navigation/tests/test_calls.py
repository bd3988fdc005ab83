"""A call's session and how it ends: start, follow, jump and back, accept a proposal; resolve,
hold and resume, convert to fault and to complaint, transfer and expert claim."""

from datetime import timedelta

import pytest

from firstcall.accounts.models import User
from firstcall.core import clock
from firstcall.core.audit import ChangeContext
from firstcall.core.errors import InvalidTransition, ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.navigation import outcomes, runtime, seeding
from firstcall.navigation.diagnosis import walk
from firstcall.orgs.models import OrgUnit
from firstcall.tickets import queries as ticket_queries
from firstcall.tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db

SPEC = seeding.load(seeding.SEED_DIR / "F-BB-691.yaml")[0]
# Facts of a customer whose AAA binding is stale after a move (what the checks would yield).
STALE_BINDING = {
    "bb_state": "active",
    "bb_access_type": "FTTH",
    "has_broadband": True,
    "aaa_exists": True,
    "aaa_state": "active",
    "aaa_locked": False,
    "auth_any": True,
    "auth_last_accepted": False,
    "auth_reason": "绑定校验错",
    "auth_any_accept": False,
    "res_matches_actual": True,
}


def agent_ctx(username: str = "gd-sz-agent") -> ChangeContext:
    return ChangeContext(actor=User.objects.get(username=username), actor_label=username)


def start_call(ctx: ChangeContext | None = None):
    return runtime.start(
        ctx or agent_ctx(),
        unit=OrgUnit.objects.get(code="GD-SZ"),
        customer_id="4403000000000001",
        number="075512345678",
        phenomenon_code="FBB-FTTH-02",
        phenomenon="FTTH拨号报错691",
        flow_code="F-BB-691",
    )


def test_a_call_opens_its_preprocessing_ticket_and_stands_at_the_flows_entry():
    session = start_call()
    ticket = session.ticket
    assert ticket.kind == Ticket.Kind.PREPROCESSING and ticket.status == Ticket.Status.OPEN
    assert ticket.code.startswith("YCL") and ticket.code.endswith(f"{ticket.pk:07d}")
    assert session.current_step == "S1" and [e["step"] for e in session.path] == ["S1"]
    assert session.version is not None and session.version.flow.code == "F-BB-691"
    assert list(ticket.events.values_list("action", flat=True)) == [TicketEvent.Action.OPENED]


def test_follow_jump_and_back_are_recorded_and_deviations_counted():
    ctx = agent_ctx()
    session = runtime.follow(ctx, start_call(ctx), {})  # S1 has one branch
    session = runtime.follow(ctx, session, {"bb_state": "active"})
    assert session.current_step == "S3" and session.path[-2]["label"] == "在用"
    session = runtime.jump(ctx, session, "S7")
    assert (session.current_step, session.deviations) == ("S7", 1)
    session = runtime.back(ctx, session)
    assert (session.current_step, session.deviations) == ("S3", 2)
    assert [e["how"] for e in session.path] == ["start", "branch", "branch", "jump", "back"]
    with pytest.raises(ValidationFailed):
        runtime.jump(ctx, session, "NO-SUCH-STEP")


def test_a_caller_answer_step_needs_an_answer_that_the_flow_knows():
    ctx = agent_ctx()
    session = runtime.jump(ctx, start_call(ctx), "S5")
    with pytest.raises(ValidationFailed):
        runtime.follow(ctx, session, {}, answer="")
    session = runtime.follow(ctx, session, {}, answer="forgotten")
    assert session.current_step == "A-RESETPW" and session.answers == {"S5": "forgotten"}


def test_accepting_a_proposal_takes_its_path_with_the_evidence():
    ctx = agent_ctx()
    session = start_call(ctx)
    proposal = walk(SPEC, STALE_BINDING, {}, start=session.current_step)
    session = runtime.accept(ctx, session, proposal)
    steps = [e["step"] for e in session.path]
    # Up to the action, which is the agent's to carry out.
    assert steps == ["S1", "S2", "S3", "S4", "S6", "A-UNBIND"]
    s6 = next(e for e in session.path if e["step"] == "S6")
    assert s6["facts"] == {"res_matches_actual": True} and s6["how"] == "auto"
    assert s6["label"] == "资源与实际一致但AAA绑定陈旧" and session.path[-1]["label"] == ""
    assert session.current_step == "A-UNBIND"
    session = runtime.follow(ctx, session, {"action_ok": True})
    assert session.current_step == "E-RETRY"
    with pytest.raises(InvalidTransition):
        runtime.follow(ctx, session, {})  # an end: the call must end, not move


def test_resolved_at_first_contact_with_the_reply_and_the_measurements():
    ctx = agent_ctx()
    session = start_call(ctx)
    session = runtime.accept(ctx, session, walk(SPEC, STALE_BINDING, {}, start="S1"))
    session = runtime.follow(ctx, session, {"action_ok": True})
    reply = outcomes.suggested_reply(session)
    assert "重新拨号" in reply
    ticket = outcomes.resolve(ctx, session, reply + "（已清除绑定）")
    session.refresh_from_db()
    assert ticket.status == Ticket.Status.RESOLVED and ticket.closed_at is not None
    assert ticket.reply.endswith("（已清除绑定）")
    assert (
        ticket.diagnosis["flow"] == "F-BB-691" and ticket.diagnosis["path"][-1]["step"] == "E-RETRY"
    )
    assert session.outcome == "resolved" and session.duration_s is not None
    audited = ObjectChange.objects.count()
    with pytest.raises(InvalidTransition):
        outcomes.resolve(ctx, session, "again")
    assert ObjectChange.objects.count() == audited
    with pytest.raises(InvalidTransition):
        runtime.jump(ctx, session, "S1")  # the call has ended


def test_hold_needs_a_reason_and_a_future_time_and_resume_restores_the_session():
    ctx = agent_ctx()
    session = runtime.jump(ctx, start_call(ctx), "S7")
    with pytest.raises(ValidationFailed) as refused:
        outcomes.hold(ctx, session, "", clock.now() - timedelta(minutes=1))
    assert set(refused.value.errors) == {"reason", "resume_at"}
    ticket = outcomes.hold(ctx, session, "客户需回家查看光猫", clock.now() + timedelta(hours=2))
    assert ticket.status == Ticket.Status.HELD
    assert [t.pk for t in ticket_queries.held_by(ctx.actor)] == [ticket.pk]
    outcomes.resume(ctx, session)
    session.refresh_from_db()
    assert session.ticket.status == Ticket.Status.OPEN and session.current_step == "S7"
    assert ticket_queries.held_by(ctx.actor) == []


@pytest.mark.parametrize(
    ("end", "kind", "group"),
    [
        ("E-FAULT-FIELD", "fault", "装维（端口/跳线核查）"),
        ("E-BACKOFFICE-DATA", "complaint", "宽带数据/开通支撑（AAA属性、产品限制）"),
    ],
)
def test_converted_into_the_ticket_the_flows_end_names(end, kind, group):
    ctx = agent_ctx()
    session = runtime.jump(ctx, start_call(ctx), end)
    new = outcomes.convert(ctx, session)
    source = Ticket.objects.get(pk=session.ticket.pk)
    assert (new.kind, new.receiving_group) == (kind, group)
    # The ticket is in its back-office process, waiting at its first step to be taken up.
    assert new.process_instance.status == "running"
    assert new.status == Ticket.Status.ACCEPTING
    assert new.items.filter(state="ready").count() == 1
    assert new.converted_from == source and source.status == Ticket.Status.CONVERTED
    assert new.code.startswith("ZA" if kind == "fault" else "TS")
    assert new.diagnosis["path"][-1]["step"] == end
    session.refresh_from_db()
    assert session.outcome == kind


def test_converting_where_the_flow_names_no_ticket_needs_the_agents_choice():
    ctx = agent_ctx()
    session = start_call(ctx)
    with pytest.raises(ValidationFailed):
        outcomes.convert(ctx, session)
    new = outcomes.convert(ctx, session, kind="complaint", receiving_group="宽带支撑")
    assert new.kind == "complaint"


def test_transferred_to_the_expert_desk_claimed_and_continued():
    ctx = agent_ctx()
    session = runtime.jump(ctx, start_call(ctx), "S9")
    outcomes.transfer(ctx, session, "无告警也无认证记录，请专家协查")
    expert = User.objects.get(username="gd-sz-expert")
    other = User.objects.get(username="js-nj-expert")
    queue = ticket_queries.expert_queue(expert)
    assert [t.pk for t in queue] == [session.ticket.pk]
    assert ticket_queries.expert_queue(other) == []
    expert_ctx = ChangeContext(actor=expert, actor_label=expert.username)
    ticket = outcomes.claim(expert_ctx, session)
    assert ticket.assignee == expert and ticket.status == Ticket.Status.OPEN
    session = runtime.follow(expert_ctx, session, {"alarm_count": 0.0, "auth_any_accept": False})
    assert session.current_step == "E-EXPERT"
    with pytest.raises(InvalidTransition):
        outcomes.claim(expert_ctx, session)  # no longer waiting in the queue
