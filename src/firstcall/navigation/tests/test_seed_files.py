"""Every seed file is a flow publishing accepts, and survives the BPMN round trip unchanged."""

import pytest

from firstcall.navigation import seeding
from firstcall.navigation.checks.registry import CHECKS
from firstcall.navigation.spec import from_bpmn, to_bpmn
from firstcall.navigation.validate import problems


@pytest.mark.parametrize("path", seeding.seed_files(), ids=lambda p: p.stem)
def test_a_seed_file_has_no_problems_and_survives_the_bpmn_round_trip(path):
    spec, meta = seeding.load(path)
    assert spec.code == path.stem
    assert meta["name_zh"] and meta["name_en"]
    assert problems(spec) == []
    back = from_bpmn(to_bpmn(spec))
    assert (back.code, back.name, back.entry) == (spec.code, spec.name, spec.entry)
    assert list(back.steps) == list(spec.steps)
    for step_id, step in spec.steps.items():
        again = back.steps[step_id]
        assert (again.kind, again.name, again.do, again.check, again.action) == (
            step.kind,
            step.name,
            step.do,
            step.check,
            step.action,
        )
        assert (again.ticket_kind, again.ticket_to, again.priority, again.reply) == (
            step.ticket_kind,
            step.ticket_to,
            step.priority,
            step.reply,
        )
        assert [(b.target, b.condition, b.label, b.answer) for b in again.branches] == [
            (b.target, b.condition, b.label, b.answer) for b in step.branches
        ]
    assert problems(back) == []


@pytest.mark.parametrize("path", seeding.seed_files(), ids=lambda p: p.stem)
def test_every_branch_of_a_seed_file_is_worded_and_decided(path):
    """Query and action branches carry a condition; ask and guide branches name the caller's
    answer; every branch has the words an agent reads."""
    spec = seeding.load(path)[0]
    for step in spec.steps.values():
        if step.kind == "query":
            assert step.check in CHECKS, step.id
        for branch in step.branches:
            where = (step.id, branch.target)
            if len(step.branches) > 1:
                assert branch.label, where
            if step.kind in ("query", "action") and len(step.branches) > 1:
                assert branch.condition, where
            if step.kind in ("ask", "guide") and len(step.branches) > 1:
                assert branch.answer, where
