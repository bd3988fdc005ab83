"""F-MOB-DATA against the sandbox: for each data branch, a customer the sandbox's ground truth
gives that condition (the conditions docstring maps them); auto-diagnosis reaches the flow's
answer. The caller's answers needed to get past the ask and guide steps are given."""

import pytest

from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.navigation import seeding
from firstcall.navigation.diagnosis import diagnose

SPEC = seeding.load(seeding.SEED_DIR / "F-MOB-DATA.yaml")[0]

OTHER = {"S1": "other"}

# condition forced in the sandbox -> (caller's answers, steps the walk passes through, its end)
CASES = {
    "arrears_stop": (OTHER, ["S2"], "E-PAY"),
    "mob_data_disabled": (OTHER, ["S2"], "E-OPEN"),
    "data_cap_reached": (OTHER, ["S2", "S3"], "E-CAP"),
    "pcrf_throttled": ({"S1": "cap_sms"}, ["S3"], "E-CAP"),
    "hlr_data_barred": (OTHER, ["S3", "S4", "A-HLR-SYNC"], "E-OK"),
    # PCRF throttles under the threshold: OCS is normal (S3), the policy is wrong (S4)
    "pcrf_policy_mismatch": (OTHER, ["S3", "S4", "A-HLR-SYNC"], "E-OK"),
    "cell_alarm": (OTHER, ["S4", "S5"], "E-MASS"),
    "weak_coverage": ({"S1": "no_signal"}, ["S5"], "E-NETQ"),
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


async def test_a_healthy_number_goes_through_every_check_to_the_handset(live):
    customer = await live.sample("healthy", "mobile")
    diagnosis = await run(customer["keys"]["mobile"], OTHER)
    assert diagnosis.failed == {}
    assert [v.step.id for v in diagnosis.path] == ["S1", "S2", "S3", "S4", "S5", "G1"]
    assert diagnosis.stopped == "needs_answer"


@pytest.mark.parametrize(
    ("answer", "end"),
    [("recovered", "E-OK"), ("other_phone_ok", "E-TERMINAL"), ("still_failing", "E-EXPERT")],
)
async def test_the_callers_answers_at_the_handset_check_lead_to_their_ends(live, answer, end):
    customer = await live.sample("healthy", "mobile")
    diagnosis = await run(customer["keys"]["mobile"], {"S1": "no_signal", "G1": answer})
    assert [v.step.id for v in diagnosis.path] == ["S1", "S5", "G1", end]
