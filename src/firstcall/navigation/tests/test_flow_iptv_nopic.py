"""F-IPTV-NOPIC against the sandbox: for each data branch, a customer the sandbox's ground truth
gives that condition (the conditions docstring maps them); auto-diagnosis reaches the flow's
answer. The caller's answers needed to get past the ask, guide and S2 steps are given."""

import pytest

from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.navigation import seeding
from firstcall.navigation.diagnosis import diagnose

SPEC = seeding.load(seeding.SEED_DIR / "F-IPTV-NOPIC.yaml")[0]

NETWORK = {"S1": "stuck_boot", "S2": "network"}
AUTH = {"S1": "stuck_boot", "S2": "auth"}
LIVE_ONLY = {"S1": "live_fails_vod_ok"}

# (condition forced in the sandbox, caller's answers, steps the walk passes through, its end)
CASES = [
    ("access_alarm", NETWORK, ["S3"], "GOTO-651"),
    ("weak_optical_power", NETWORK, ["S3"], "GOTO-651"),
    ("iptv_stb_wrong_port", NETWORK, ["S3"], "E-SELF"),
    ("iptv_vlan_missing", NETWORK, ["S3", "A-REPROV"], "E-OK"),
    ("arrears_stop", AUTH, ["S4"], "E-PAY"),
    ("iptv_stb_mismatch", AUTH, ["S4", "A-REBIND"], "E-OK"),
    ("iptv_account_missing", AUTH, ["S4", "A-REPROV"], "E-OK"),
    ("iptv_state_mismatch", AUTH, ["S4", "A-REPROV"], "E-OK"),
    ("iptv_platform_alarm", AUTH, ["S4", "S5"], "E-MASS"),
    ("iptv_platform_alarm", LIVE_ONLY, ["S6"], "E-MASS"),
    ("iptv_multicast_missing", LIVE_ONLY, ["S6", "A-REPROV"], "E-OK"),
]


async def run(account: str, answers: dict[str, str] | None = None):
    return await diagnose(SPEC, CustomerView(Reads(account, fresh=True)), answers=answers)


@pytest.mark.parametrize(
    ("condition", "answers", "through", "end"),
    CASES,
    ids=[f"{c[0]}-{c[1].get('S2', c[1]['S1'])}" for c in CASES],
)
async def test_auto_diagnosis_reaches_the_branch_the_sandbox_holds(
    live, condition, answers, through, end
):
    customer = await live.sample(condition, "iptv")
    diagnosis = await run(customer["keys"]["iptv"], answers)
    path = [visit.step.id for visit in diagnosis.path]
    assert diagnosis.failed == {}
    assert diagnosis.terminal is not None, (condition, path, diagnosis.stopped, diagnosis.facts)
    assert diagnosis.terminal.id == end, (condition, path, diagnosis.facts)
    for step in through:
        assert step in path, (condition, path)


async def test_a_healthy_service_passes_line_account_and_platform_to_a_field_visit(live):
    customer = await live.sample("healthy", "iptv")
    diagnosis = await run(customer["keys"]["iptv"], NETWORK)
    assert diagnosis.failed == {}
    assert [v.step.id for v in diagnosis.path] == ["S1", "S2", "S3", "S4", "S5", "E-FAULT-FIELD"]


@pytest.mark.parametrize(
    ("answers", "end"),
    [
        ({"S1": "no_signal", "G1": "recovered"}, "E-OK"),
        ({"S1": "no_signal", "G1": "stb_dead"}, "E-FAULT-STB"),
        ({"S1": "stuck_boot", "S2": "hardware"}, "E-FAULT-STB"),
        ({"S1": "stuck_boot", "S2": "at_98"}, "E-EXPERT"),
        ({"S1": "some_channels"}, "E-EXPLAIN-CHANNEL"),
    ],
)
async def test_the_callers_answers_lead_to_their_ends(live, answers, end):
    customer = await live.sample("healthy", "iptv")
    diagnosis = await run(customer["keys"]["iptv"], answers)
    assert [v.step.id for v in diagnosis.path] == [*answers, end]
