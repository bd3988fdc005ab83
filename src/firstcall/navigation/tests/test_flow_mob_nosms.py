"""F-MOB-NOSMS against the sandbox: for each data branch, a customer the sandbox's ground truth
gives that condition (the conditions docstring maps them); auto-diagnosis reaches the flow's
answer. The caller's answers needed to get past the ask and guide steps are given."""

import pytest

from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.navigation import seeding
from firstcall.navigation.diagnosis import diagnose

SPEC = seeding.load(seeding.SEED_DIR / "F-MOB-NOSMS.yaml")[0]

ALL = {"S1": "all"}
ONLY_106 = {"S1": "only_106"}

# (condition forced in the sandbox, caller's answers, steps the walk passes through, its end)
CASES = [
    ("arrears_double_stop", ALL, ["S2"], "E-PAY-OR-VERIFY"),
    ("antifraud_shutdown", ALL, ["S2"], "E-PAY-OR-VERIFY"),
    # one-way stop: incoming SMS still work, so the walk goes on to HLR and the SMS centre
    ("arrears_stop", {**ALL, "G-TERMINAL": "found_intercepted"}, ["S2", "S3", "S4"], "E-OK"),
    ("hlr_incoming_barred", ALL, ["S3", "A-HLR-SYNC"], "E-OK"),
    ("hlr_ts21_missing", ALL, ["S3", "A-HLR-SYNC"], "E-OK"),
    ("sms_mcef_set", ALL, ["S3", "G-MEMORY"], "E-OK"),
    ("sms_mnrf_set", {**ALL, "G-REREG": "still_failing"}, ["S3", "G-REREG"], "E-EXPERT"),
    ("sms_fail_memory", ALL, ["S3", "S4", "G-MEMORY"], "E-OK"),
    ("sms_fail_absent", {**ALL, "G-REREG": "recovered"}, ["S4", "G-REREG"], "E-OK"),
    ("sms_fail_barred", ALL, ["S4", "A-HLR-SYNC"], "E-OK"),
    ("sms_fail_unknown_subscriber", ALL, ["S4"], "E-BACKOFFICE-ROUTE"),
    ("sms_no_records", ALL, ["S4", "S6"], "E-SENDER"),
    ("smsc_alarm", ALL, ["S4", "S6"], "E-MASS"),
    ("sms_blocked", ONLY_106, ["S5", "A-UNBLOCK"], "E-OK"),
    ("sms_no_records", ONLY_106, ["S5"], "E-SENDER"),
]


async def run(number: str, answers: dict[str, str] | None = None):
    return await diagnose(SPEC, CustomerView(Reads(number, fresh=True)), answers=answers)


@pytest.mark.parametrize(
    ("condition", "answers", "through", "end"),
    CASES,
    ids=[f"{c[0]}-{c[1]['S1']}" for c in CASES],
)
async def test_auto_diagnosis_reaches_the_branch_the_sandbox_holds(
    live, condition, answers, through, end
):
    customer = await live.sample(condition, "mobile")
    diagnosis = await run(customer["keys"]["mobile"], answers)
    path = [visit.step.id for visit in diagnosis.path]
    assert diagnosis.failed == {}
    assert diagnosis.terminal is not None, (condition, path, diagnosis.stopped, diagnosis.facts)
    assert diagnosis.terminal.id == end, (condition, path, diagnosis.facts)
    for step in through:
        assert step in path, (condition, path)


@pytest.mark.parametrize(
    ("answers", "tail"),
    [
        (ALL, ["S2", "S3", "S4", "G-TERMINAL"]),  # in use, HLR normal, delivered
        (ONLY_106, ["S5", "G-TERMINAL"]),  # not blocked, delivered
    ],
)
async def test_a_healthy_number_had_its_messages_delivered_so_the_handset_is_checked(
    live, answers, tail
):
    customer = await live.sample("healthy", "mobile")
    diagnosis = await run(customer["keys"]["mobile"], answers)
    assert diagnosis.failed == {}
    assert [v.step.id for v in diagnosis.path][-len(tail) :] == tail
    assert diagnosis.stopped == "needs_answer"


@pytest.mark.parametrize(
    ("answer", "end"),
    [
        ("found_intercepted", "E-OK"),
        ("other_phone_ok", "E-TERMINAL"),
        ("still_failing", "E-EXPERT"),
    ],
)
async def test_the_callers_answers_at_the_handset_check_lead_to_their_ends(live, answer, end):
    customer = await live.sample("healthy", "mobile")
    diagnosis = await run(customer["keys"]["mobile"], {**ONLY_106, "G-TERMINAL": answer})
    assert [v.step.id for v in diagnosis.path][-2:] == ["G-TERMINAL", end]


async def test_one_sender_missing_with_the_sms_centre_up_points_at_the_sender(live):
    customer = await live.sample("healthy", "mobile")
    diagnosis = await run(customer["keys"]["mobile"], {"S1": "one_sender"})
    assert [v.step.id for v in diagnosis.path] == ["S1", "S6", "E-SENDER"]
