"""F-MOB-IROAM against the sandbox: for each data branch, a customer the sandbox's ground truth
gives that condition (the conditions docstring maps them); auto-diagnosis reaches the flow's
answer. The caller's answers needed to get past the guide steps are given."""

import pytest

from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.navigation import seeding
from firstcall.navigation.diagnosis import diagnose

SPEC = seeding.load(seeding.SEED_DIR / "F-MOB-IROAM.yaml")[0]

# condition forced in the sandbox -> (caller's answers, steps the walk passes through, its end)
CASES = {
    "iroam_not_opened": ({}, ["S1", "S2"], "E-OPEN"),
    "arrears_stop": ({}, ["S2"], "E-PAY"),
    "hlr_roaming_mismatch": ({}, ["S2", "S3", "A-HLR-SYNC"], "E-OK"),
    "iroam_data_capped": ({}, ["S3", "S4"], "E-PAY"),
    "iroam_registered_data_fail": ({"G2": "still_failing"}, ["S3", "S4", "G2"], "E-BACKOFFICE"),
    "iroam_not_registered": ({"G1": "recovered"}, ["S3", "G1"], "E-OK"),
}


async def run(number: str, answers: dict[str, str] | None = None):
    return await diagnose(SPEC, CustomerView(Reads(number, fresh=True)), answers=answers)


@pytest.mark.parametrize("condition", sorted(CASES))
async def test_auto_diagnosis_reaches_the_branch_the_sandbox_holds(live, condition):
    customer = await live.sample(condition, "mobile")
    answers, through, end = CASES[condition]
    diagnosis = await run(customer["keys"]["mobile"], answers)
    path = [visit.step.id for visit in diagnosis.path]
    assert diagnosis.failed == {}
    assert diagnosis.terminal is not None, (condition, path, diagnosis.stopped, diagnosis.facts)
    assert diagnosis.terminal.id == end, (condition, path, diagnosis.facts)
    for step in through:
        assert step in path, (condition, path)


@pytest.mark.parametrize(
    ("condition", "guide", "answer", "end"),
    [
        ("iroam_not_registered", "G1", "rejected", "E-EXPERT"),
        ("iroam_registered_data_fail", "G2", "recovered", "E-OK"),
    ],
)
async def test_the_callers_answers_at_the_guides_lead_to_their_ends(
    live, condition, guide, answer, end
):
    customer = await live.sample(condition, "mobile")
    diagnosis = await run(customer["keys"]["mobile"], {guide: answer})
    assert [v.step.id for v in diagnosis.path][-2:] == [guide, end]
