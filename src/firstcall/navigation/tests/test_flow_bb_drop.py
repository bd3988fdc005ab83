"""F-BB-DROP against the sandbox: for each data branch, a customer the sandbox's ground truth
gives that condition (the conditions docstring maps them); auto-diagnosis reaches the flow's
answer. The caller's answer at the equipment check (S3) is given where the walk gets there."""

import pytest

from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.navigation import seeding
from firstcall.navigation.diagnosis import diagnose

SPEC = seeding.load(seeding.SEED_DIR / "F-BB-DROP.yaml")[0]

# condition forced in the sandbox -> (caller's answers, steps the walk passes through, its end)
CASES = {
    "line_quality_poor": ({}, ["S1", "S2"], "E-FAULT-LINE"),
    "cpe_unstable": ({"S3": "cpe_problem"}, ["S1", "S2", "S3"], "E-CPE"),
    "bb_idle_timeouts": ({}, ["S1"], "E-EXPLAIN-TIMEOUT"),
    "bb_user_request_drops": ({"S3": "drops_direct"}, ["S1", "S3"], "E-FAULT-LINE"),
    "bras_alarm": ({}, ["S1", "S4"], "E-MASS"),
    "nas_reset_no_alarm": ({}, ["S1", "S4"], "E-FAULT-LINE"),
}


async def run(account: str, answers: dict[str, str] | None = None):
    return await diagnose(SPEC, CustomerView(Reads(account, fresh=True)), answers=answers)


@pytest.mark.parametrize("condition", sorted(CASES))
async def test_auto_diagnosis_reaches_the_branch_the_sandbox_holds(live, condition):
    customer = await live.sample(condition, "broadband")
    answers, through, end = CASES[condition]
    diagnosis = await run(customer["keys"]["broadband"], answers)
    path = [visit.step.id for visit in diagnosis.path]
    assert diagnosis.failed == {}
    assert diagnosis.terminal is not None, (condition, path, diagnosis.stopped, diagnosis.facts)
    assert diagnosis.terminal.id == end, (condition, path, diagnosis.facts)
    for step in through:
        assert step in path, (condition, path)


async def test_drops_by_the_users_own_request_wait_for_the_equipment_check(live):
    customer = await live.sample("bb_user_request_drops", "broadband")
    diagnosis = await run(customer["keys"]["broadband"])
    assert [v.step.id for v in diagnosis.path] == ["S1", "S3"]
    assert diagnosis.stopped == "needs_answer"
