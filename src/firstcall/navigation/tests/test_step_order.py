"""The step list of "flow navigation" follows the flow: working steps along the flow, each after
the steps that lead to it, side steps after the check they branch from, outcomes last."""

import pytest

from firstcall.navigation import seeding
from firstcall.navigation.queries import steps_in_order
from firstcall.navigation.spec import Branch, FlowSpec, Step


def seeded(code: str) -> FlowSpec:
    spec, _meta = seeding.load(seeding.SEED_DIR / f"{code}.yaml")
    return spec


def test_the_691_flow_reads_along_its_checks_with_outcomes_last() -> None:
    order = [s.id for s in steps_in_order(seeded("F-BB-691"))]
    assert order == [
        "S1", "S2", "S3", "S4",
        "S5", "A-RESETPW",
        "S6", "A-UNBIND",
        "S7", "A-KICK-RESETPW", "A-KICK",
        "A-RESYNC",  # reached from S3 and from S4: after S4, in S4's branch order
        "S8", "S9",
        "E-PAY", "E-EXPLAIN-STATE", "E-ORDER", "E-BACKOFFICE-DATA", "E-SELF", "E-RETRY",
        "E-FAULT-FIELD", "E-BACKOFFICE-BILL", "E-MASS", "E-EXPERT",
    ]  # fmt: skip


def test_a_step_reached_early_and_late_waits_for_the_late_one() -> None:
    # F-MOB-NOCALL's S1 branches straight to S6 (an area-wide fault) as well as to S2; S6 is also
    # where the main line S2 → S4 → S5 arrives, so it is listed after S5, not after S1.
    order = [s.id for s in steps_in_order(seeded("F-MOB-NOCALL"))]
    assert order[:10] == ["S1", "S8", "S2", "S3", "A-RESUME", "S4", "A-HLR-SYNC", "S5", "S6", "G1"]


@pytest.mark.parametrize("path", seeding.seed_files(), ids=lambda p: p.stem)
def test_every_seeded_flow_lists_each_step_once_after_its_forward_predecessors(path) -> None:
    spec, _meta = seeding.load(path)
    order = [s.id for s in steps_in_order(spec)]
    assert sorted(order) == sorted(spec.steps)
    position = {step_id: n for n, step_id in enumerate(order)}
    working = [s for s in order if spec.steps[s].kind != "end"]
    assert order[: len(working)] == working  # every end after every working step
    assert order[0] == spec.entry
    for step in spec.steps.values():
        for branch in step.branches:
            # Seeded flows have no loops: every branch goes forward in the list.
            assert position[branch.target] > position[step.id], (step.id, branch.target)


def test_a_loop_back_does_not_hide_the_steps_it_returns_to() -> None:
    steps = {
        "A": Step(id="A", kind="ask", name="a", branches=[Branch("B")]),
        "B": Step(id="B", kind="query", name="b", branches=[Branch("A"), Branch("C"), Branch("E")]),
        "C": Step(id="C", kind="action", name="c", branches=[Branch("E")]),
        "E": Step(id="E", kind="end", name="e"),
        "X": Step(id="X", kind="guide", name="unreachable"),
    }
    spec = FlowSpec(code="F-T", name="t", entry="A", steps=steps)
    assert [s.id for s in steps_in_order(spec)] == ["A", "B", "C", "E", "X"]
