"""F-BB-678 against the sandbox: for each data branch, a customer the sandbox's ground truth gives
that condition (the conditions docstring maps them); auto-diagnosis reaches the flow's answer.
The caller's answers needed to get past the ask and guide steps are given."""

import pytest

from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.navigation import seeding
from firstcall.navigation.diagnosis import diagnose

SPEC = seeding.load(seeding.SEED_DIR / "F-BB-678.yaml")[0]

LINK_DOWN = {"S3": "link_down"}
STILL_678 = {"S3": "lights_ok", "G2": "still_678"}

# condition forced in the sandbox -> (caller's answers, steps the walk passes through, its end)
CASES = {
    "arrears_stop": ({}, ["S1"], "E-PAY"),
    "access_alarm": ({}, ["S1", "S2"], "E-MASS"),
    "adsl_line_fault": (LINK_DOWN, ["S2", "S3", "S4"], "E-FAULT-LINE"),
    "adsl_splitter_fault": ({**LINK_DOWN, "G3": "synced"}, ["S4", "G3"], "E-SELF-SPLITTER"),
    "bb_wrong_password": (STILL_678, ["G2", "S5"], "GOTO-691"),
    "aaa_no_auth_requests": (STILL_678, ["G2", "S5"], "E-FAULT-NET"),
}


@pytest.mark.parametrize("condition", sorted(CASES))
async def test_auto_diagnosis_reaches_the_branch_the_sandbox_holds(live, condition):
    customer = await live.sample(condition, "broadband")
    view = CustomerView(Reads(customer["keys"]["broadband"], fresh=True))
    answers, through, end = CASES[condition]
    diagnosis = await diagnose(SPEC, view, answers=answers)
    path = [visit.step.id for visit in diagnosis.path]
    assert diagnosis.failed == {}
    assert diagnosis.terminal is not None, (condition, path, diagnosis.stopped, diagnosis.facts)
    assert diagnosis.terminal.id == end, (condition, path, diagnosis.facts)
    for step in through:
        assert step in path, (condition, path)


async def test_a_healthy_line_in_use_without_alarms_waits_for_the_modem_lights(live):
    customer = await live.sample("healthy", "broadband")
    diagnosis = await diagnose(SPEC, CustomerView(Reads(customer["keys"]["broadband"], fresh=True)))
    assert diagnosis.failed == {}
    assert [v.step.id for v in diagnosis.path] == ["S1", "S2", "S3"]
    assert diagnosis.stopped == "needs_answer"


@pytest.mark.parametrize(
    ("answers", "end"),
    [
        ({"S3": "power_off"}, "E-FAULT-CPE"),
        ({"S3": "lan_down", "G1": "recovered"}, "E-OK"),
        ({"S3": "lan_down", "G1": "not_recovered"}, "E-FAULT-CPE"),
        ({"S3": "lights_ok", "G2": "now_691"}, "GOTO-691"),
        ({"S3": "phone_only", "S6": "wiring_or_phone"}, "E-SELF-SPLITTER"),
        ({"S3": "phone_only", "S6": "wiring_ok"}, "E-FAULT-LINE"),
    ],
)
async def test_the_callers_answers_lead_to_their_ends(live, answers, end):
    customer = await live.sample("healthy", "broadband")
    view = CustomerView(Reads(customer["keys"]["broadband"], fresh=True))
    diagnosis = await diagnose(SPEC, view, answers=answers)
    assert diagnosis.terminal is not None and diagnosis.terminal.id == end
    assert [v.step.id for v in diagnosis.path][-len(answers) - 1 :] == [*answers, end]
