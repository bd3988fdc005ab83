"""F-BB-SLOW against the sandbox: for each data branch, a customer the sandbox's ground truth
gives that condition (the conditions docstring maps them); auto-diagnosis reaches the flow's
answer. The caller's answers needed to get past the ask and guide steps are given."""

import pytest

from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.navigation import seeding
from firstcall.navigation.diagnosis import diagnose

SPEC = seeding.load(seeding.SEED_DIR / "F-BB-SLOW.yaml")[0]

EVERYWHERE = {"S1": "everywhere"}

# condition forced in the sandbox -> (steps the walk passes through, its end)
CASES = {
    "bb_speedup_session_old": (["S2", "S3", "A-KICK"], "E-RETEST"),
    "aaa_rate_profile_stale": (["S3", "A-RESYNC"], "E-RETEST"),
    "line_quality_poor": (["S3", "S4"], "E-FAULT-LINE"),
    "uplink_congestion": (["S4", "S5"], "E-NET-CAPACITY"),
}


async def run(account: str, answers: dict[str, str] | None = None):
    return await diagnose(SPEC, CustomerView(Reads(account, fresh=True)), answers=answers)


@pytest.mark.parametrize("condition", sorted(CASES))
async def test_auto_diagnosis_reaches_the_branch_the_sandbox_holds(live, condition):
    customer = await live.sample(condition, "broadband")
    through, end = CASES[condition]
    diagnosis = await run(customer["keys"]["broadband"], EVERYWHERE)
    path = [visit.step.id for visit in diagnosis.path]
    assert diagnosis.failed == {}
    assert diagnosis.terminal is not None, (condition, path, diagnosis.stopped, diagnosis.facts)
    assert diagnosis.terminal.id == end, (condition, path, diagnosis.facts)
    for step in through:
        assert step in path, (condition, path)


async def test_a_healthy_line_at_its_rate_goes_on_to_a_direct_speed_test(live):
    customer = await live.sample("healthy", "broadband")
    diagnosis = await run(customer["keys"]["broadband"], EVERYWHERE)
    assert diagnosis.failed == {}
    assert [v.step.id for v in diagnosis.path] == ["S1", "S2", "S3", "S4", "S5", "G1"]
    assert diagnosis.stopped == "needs_answer"


@pytest.mark.parametrize(
    ("answers", "end"),
    [
        ({"S1": "wifi_only"}, "E-WIFI"),
        ({"S1": "some_sites", "S7": "one_site"}, "E-EXPLAIN-SITE"),
        ({"S1": "some_sites", "S7": "many_users_class"}, "E-NET-INTERCONNECT"),
    ],
)
async def test_the_callers_answers_lead_to_their_ends(live, answers, end):
    customer = await live.sample("healthy", "broadband")
    diagnosis = await run(customer["keys"]["broadband"], answers)
    assert [v.step.id for v in diagnosis.path] == [*answers, end]


@pytest.mark.parametrize(
    ("answer", "end"), [("direct_ok", "E-CPE-LIMIT"), ("direct_slow", "E-FAULT-FIELD")]
)
async def test_the_direct_speed_test_decides_between_equipment_and_a_visit(live, answer, end):
    customer = await live.sample("healthy", "broadband")
    diagnosis = await run(customer["keys"]["broadband"], {**EVERYWHERE, "G1": answer})
    assert [v.step.id for v in diagnosis.path][-2:] == ["G1", end]
