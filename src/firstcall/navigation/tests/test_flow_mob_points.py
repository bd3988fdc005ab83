"""F-MOB-POINTS against the sandbox: for each data branch, a customer the sandbox's ground truth
gives that condition (the conditions docstring maps them); auto-diagnosis reaches the flow's
answer. The caller's answer about a delivered gift (S1G) is given."""

import pytest

from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.navigation import seeding
from firstcall.navigation.diagnosis import diagnose

SPEC = seeding.load(seeding.SEED_DIR / "F-MOB-POINTS.yaml")[0]

# condition forced in the sandbox -> (caller's answers, steps the walk passes through, its end)
CASES = {
    "points_fail_insufficient": ({}, ["S1", "S2"], "E-EXPLAIN-BALANCE"),
    "points_fail_arrears": ({}, ["S2", "S3"], "E-PAY"),
    "points_fail_status_stale": ({}, ["S2", "S3"], "E-BACKOFFICE"),
    "points_fail_stock_refunded": ({}, ["S2", "S6"], "E-EXPLAIN-BALANCE"),
    "points_fail_stock_not_refunded": ({}, ["S2", "S6"], "E-BACKOFFICE"),
    "points_fail_system": ({}, ["S1", "S2"], "E-BACKOFFICE"),
    "points_benefit_pending": ({}, ["S1", "S4"], "E-EXPLAIN-WAIT"),
    "points_benefit_overdue": ({}, ["S4", "A-RESEND"], "E-EXPLAIN-WAIT"),
    "points_shipping_in_transit": ({}, ["S1", "S5"], "E-EXPLAIN-WAIT"),
    "points_shipping_overdue": ({}, ["S1", "S5"], "E-URGE"),
    "points_gift_delivered": ({"S1G": "quality"}, ["S1", "S1G"], "E-GIFT-QUALITY"),
}


async def run(number: str, answers: dict[str, str] | None = None):
    return await diagnose(SPEC, CustomerView(Reads(number, fresh=True)), answers=answers)


@pytest.mark.parametrize("condition", sorted(CASES))
async def test_auto_diagnosis_reaches_the_branch_the_sandbox_holds(live, condition):
    customer = await live.sample(condition)
    answers, through, end = CASES[condition]
    diagnosis = await run(customer["number"], answers)
    path = [visit.step.id for visit in diagnosis.path]
    assert diagnosis.failed == {}
    assert diagnosis.terminal is not None, (condition, path, diagnosis.stopped, diagnosis.facts)
    assert diagnosis.terminal.id == end, (condition, path, diagnosis.facts)
    for step in through:
        assert step in path, (condition, path)


@pytest.mark.parametrize(
    ("answer", "end"), [("quality", "E-GIFT-QUALITY"), ("wrong_item", "E-WRONG-ITEM")]
)
async def test_a_delivered_gift_waits_for_what_the_caller_disputes(live, answer, end):
    customer = await live.sample("points_gift_delivered")
    view = CustomerView(Reads(customer["number"], fresh=True))
    waiting = await diagnose(SPEC, view)
    assert (waiting.last.id, waiting.stopped) == ("S1G", "needs_answer")
    answered = await diagnose(SPEC, view, answers={"S1G": answer})
    assert [v.step.id for v in answered.path] == ["S1", "S1G", end]
