"""F-BB-WEB against the sandbox: for each data branch, a customer the sandbox's ground truth
gives that condition (the conditions docstring maps them); auto-diagnosis reaches the flow's
answer. The caller's answers at the guide step (S2) and at S4 are given."""

import pytest

from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.navigation import seeding
from firstcall.navigation.diagnosis import diagnose

SPEC = seeding.load(seeding.SEED_DIR / "F-BB-WEB.yaml")[0]

DNS_FAILS = {"S2": "dns_fails"}

# condition forced in the sandbox -> (caller's answers, steps the walk passes through, its end)
CASES = {
    "bb_expiry_reminder": ({}, ["S1"], "E-PAY"),
    "dns_alarm": (DNS_FAILS, ["S1", "S2", "S3"], "E-MASS"),
    "healthy": (DNS_FAILS, ["S1", "S2", "S3"], "E-EXPERT"),
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


async def test_a_healthy_account_waits_for_the_ping_test(live):
    customer = await live.sample("healthy", "broadband")
    diagnosis = await run(customer["keys"]["broadband"])
    assert [v.step.id for v in diagnosis.path] == ["S1", "S2"]
    assert diagnosis.stopped == "needs_answer"


@pytest.mark.parametrize(
    ("answers", "end"),
    [
        ({"S2": "manual_dns_or_proxy"}, "E-SELF"),
        ({"S2": "nothing_works"}, "GOTO-651"),
        ({"S2": "one_app", "S4": "single_user"}, "E-SELF"),
        ({"S2": "one_app", "S4": "many_users"}, "E-NET"),
    ],
)
async def test_the_callers_answers_lead_to_their_ends(live, answers, end):
    customer = await live.sample("healthy", "broadband")
    diagnosis = await run(customer["keys"]["broadband"], answers)
    assert [v.step.id for v in diagnosis.path] == ["S1", *answers, end]
