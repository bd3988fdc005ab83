"""F-BB-ERRCODE against the sandbox: for each data branch, a customer the sandbox's ground truth
gives that condition (the conditions docstring maps them); auto-diagnosis reaches the flow's
answer. S1 and the guide steps take the caller's answers."""

import pytest

from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.navigation import seeding
from firstcall.navigation.diagnosis import diagnose

SPEC = seeding.load(seeding.SEED_DIR / "F-BB-ERRCODE.yaml")[0]

SESSION = {"S1": "session_negotiation"}

# condition forced in the sandbox -> (caller's answers, steps the walk passes through, its end)
CASES = {
    "aaa_stale_session": (SESSION, ["S2", "A-KICK"], "E-OK"),
    "bb_wrong_password": (SESSION, ["S2"], "GOTO-691"),
    "aaa_no_auth_requests": ({**SESSION, "G2": "not_recovered"}, ["S2", "S3", "G2"], "GOTO-678"),
    "bras_alarm": (SESSION, ["S2", "S3"], "E-MASS"),
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


async def test_the_error_code_is_the_callers_answer(live):
    customer = await live.sample("healthy", "broadband")
    waiting = await run(customer["keys"]["broadband"])
    assert (waiting.last.id, waiting.stopped) == ("S1", "needs_answer")


@pytest.mark.parametrize(
    ("answers", "end"),
    [
        ({"S1": "code_721"}, "GOTO-678"),
        ({"S1": "local_config", "G1": "recovered"}, "E-OK"),
        ({"S1": "local_config", "G1": "other_pc_ok"}, "E-PC"),
        ({"S1": "local_config", "G1": "other_pc_fails"}, "GOTO-651"),
    ],
)
async def test_the_callers_answers_lead_to_their_ends(live, answers, end):
    customer = await live.sample("healthy", "broadband")
    diagnosis = await run(customer["keys"]["broadband"], answers)
    assert [v.step.id for v in diagnosis.path] == [*answers, end]
