"""Flow conditions within bounds (issue 9 §3): a hostile condition is refused when a draft is
saved and nothing is stored, one already stored is a publish error (not a 500), and evaluating
any condition on any facts finishes in milliseconds and never raises."""

import time

import pytest
from django.utils import translation

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import ValidationFailed
from firstcall.navigation import seeding, services
from firstcall.navigation.diagnosis import choose
from firstcall.navigation.models import Flow, FlowVersion
from firstcall.navigation.spec import Branch, to_bpmn
from firstcall.navigation.validate import bounds_problems, evaluate, parse, problems
from firstcall.rules import expressions

HOSTILE = {
    "deep": "not " * 5000 + "true",
    "deep within the length": "not " * 200 + "true",
    "back-reference": 'bb_state =~ "(a)\\\\1"',
    "look-behind": 'bb_state =~~ "(?<!a)b"',
    "range": "$range(1000000000) == []",
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def spec_with(condition: str):
    spec = seeding.load(seeding.SEED_DIR / "F-BB-691.yaml")[0]
    spec.steps["S2"].branches.insert(0, Branch("E-PAY", condition, "hostile"))
    return spec


@pytest.mark.parametrize("condition", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_condition_is_named_at_save_and_at_publish(condition):
    spec = spec_with(condition)
    found = bounds_problems(spec)
    assert len(found) == 1 and found[0].startswith("Step S2 → E-PAY: ")
    assert any(p.startswith("Step S2 → E-PAY: ") for p in problems(spec))


@pytest.mark.django_db
@pytest.mark.parametrize("condition", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_draft_is_not_stored_and_a_stored_one_is_not_published(condition):
    flow = Flow.objects.get(code="F-BB-691")
    ctx = ChangeContext(actor_label="test")
    before = flow.versions.count()
    with pytest.raises(ValidationFailed) as refused:
        services.save_draft(ctx, flow, to_bpmn(spec_with(condition)))
    assert any("E-PAY" in m for m in refused.value.errors["bpmn"])
    assert flow.versions.count() == before

    stored = FlowVersion.objects.create(  # as if saved before the bounds
        flow=flow, number=before + 1, bpmn=to_bpmn(spec_with(condition))
    )
    with pytest.raises(ValidationFailed):
        services.publish(ctx, stored)
    stored.refresh_from_db()
    assert stored.status == FlowVersion.Status.DRAFT


@pytest.mark.parametrize(
    ("condition", "facts"),
    [
        ('bb_state =~ "(a+)+b"', {"bb_state": "a" * 27 + "!"}),
        ('bb_state =~~ "(a|aa)+$"', {"bb_state": "a" * 3999 + "!"}),
        ('bb_state =~~ "(a|aa)+$"', {"bb_state": "a" * 100_000 + "!"}),  # over the fact bound
        ("$any([c in bb_state.to_ary for c in bb_state.to_ary])", {"bb_state": "b" * 4000}),
        ("$any([c in bb_state.to_ary for c in bb_state.to_ary])", {"bb_state": "b" * 10**6}),
        ("bb_state > 3", {"bb_state": "active"}),  # a type mismatch on these facts
        (HOSTILE["deep"], {}),
    ],
)
def test_a_condition_on_hostile_facts_is_decided_in_milliseconds_and_never_raises(condition, facts):
    expressions.cache_clear()
    evaluate("true", {})  # the parser's tables are built once per process
    started = time.thread_time()
    assert evaluate(condition, facts) is False
    assert time.thread_time() - started < 0.05


def test_a_branch_whose_condition_cannot_be_evaluated_does_not_hold():
    spec = spec_with("bb_state > 3")
    step = spec.steps["S2"]
    chosen = choose(step, {"bb_state": "active"})
    assert chosen is not None and chosen.target != "E-PAY"


def test_a_condition_is_compiled_once():
    expressions.cache_clear()
    assert parse('bb_state == "active"') is parse('bb_state == "active"')
    assert evaluate('bb_state == "active"', {"bb_state": "active"}) is True
