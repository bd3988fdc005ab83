"""F-BB-691 against the sandbox: for each branch, a customer the sandbox's ground truth gives that
condition; auto-diagnosis (every check at once, then the walk) reaches the flow's own answer."""

import pytest

from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.navigation import seeding
from firstcall.navigation.diagnosis import diagnose

SPEC = seeding.load(seeding.SEED_DIR / "F-BB-691.yaml")[0]

# condition forced in the sandbox -> (the steps the walk passes through, where it ends)
CASES = {
    "arrears_stop": (["S1", "S2"], "E-PAY"),
    "bb_expired": (["S2"], "E-PAY"),
    "bb_user_stop": (["S2"], "E-EXPLAIN-STATE"),
    "bb_removed": (["S2"], "E-EXPLAIN-STATE"),
    "bb_install_pending": (["S2"], "E-ORDER"),
    "aaa_account_missing": (["S3", "A-RESYNC"], "E-RETRY"),
    "aaa_state_mismatch": (["S3", "A-RESYNC"], "E-RETRY"),
    "aaa_account_locked": (["S4", "A-RESYNC"], "E-RETRY"),
    "aaa_attr_invalid": (["S4"], "E-BACKOFFICE-DATA"),
    "aaa_binding_stale": (["S4", "S6", "A-UNBIND"], "E-RETRY"),
    "res_port_mismatch": (["S6"], "E-FAULT-FIELD"),
    "bb_own_router_session": (["S7"], "E-SELF"),
    "aaa_stale_session": (["S7", "A-KICK"], "E-RETRY"),
    "aaa_session_hijack": (["S7", "A-KICK-RESETPW"], "E-RETRY"),
    "bb_ocs_balance_low": (["S8"], "E-PAY"),
    "bb_ocs_error": (["S8"], "E-BACKOFFICE-BILL"),
    "bras_alarm": (["S9"], "E-MASS"),
    "bras_authz_error": (["S9"], "E-BACKOFFICE-DATA"),
    "aaa_no_auth_requests": (["S9"], "E-EXPERT"),
}


@pytest.mark.parametrize("condition", sorted(CASES))
async def test_auto_diagnosis_reaches_the_branch_the_sandbox_holds(live, condition):
    customer = await live.sample(condition, "broadband")
    account = customer["keys"]["broadband"]
    diagnosis = await diagnose(SPEC, CustomerView(Reads(account, fresh=True)))
    path = [visit.step.id for visit in diagnosis.path]
    through, end = CASES[condition]
    assert diagnosis.failed == {}
    assert diagnosis.terminal is not None, (condition, path, diagnosis.stopped, diagnosis.facts)
    assert diagnosis.terminal.id == end, (condition, path, diagnosis.facts)
    for step in through:
        assert step in path, (condition, path)


async def test_a_wrong_password_waits_for_the_callers_answer_then_follows_it(live):
    customer = await live.sample("bb_wrong_password", "broadband")
    view = CustomerView(Reads(customer["keys"]["broadband"], fresh=True))
    waiting = await diagnose(SPEC, view)
    assert (waiting.last.id, waiting.stopped) == ("S5", "needs_answer")
    answered = await diagnose(SPEC, view, answers={"S5": "forgotten"})
    assert [v.step.id for v in answered.path][-3:] == ["S5", "A-RESETPW", "E-RETRY"]


async def test_a_check_whose_system_is_down_stops_the_walk_there(live):
    customer = await live.sample("aaa_binding_stale", "broadband")
    await live.fault("aaa", "down")
    diagnosis = await diagnose(SPEC, CustomerView(Reads(customer["keys"]["broadband"], fresh=True)))
    assert diagnosis.last.id == "S3" and diagnosis.stopped == "check_failed"
    assert set(diagnosis.failed) >= {"aaa.user", "aaa.auth_log"}
