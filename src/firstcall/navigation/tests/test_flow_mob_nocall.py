"""F-MOB-NOCALL against the sandbox: for each data branch, a customer the sandbox's ground truth
gives that condition (the conditions docstring maps them); auto-diagnosis reaches the flow's
answer. The caller's answers needed to get past the ask and guide steps are given."""

from typing import Any

import pytest

from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.navigation import seeding
from firstcall.navigation.diagnosis import diagnose

SPEC = seeding.load(seeding.SEED_DIR / "F-MOB-NOCALL.yaml")[0]

OTHER = {"S1": "other"}

# condition forced in the sandbox -> (caller's answers, steps the walk passes through, its end)
CASES = {
    "arrears_stop": (OTHER, ["S2", "S3"], "E-PAY"),
    "arrears_double_stop": (OTHER, ["S2", "S3"], "E-PAY"),
    "antifraud_shutdown": (OTHER, ["S2"], "E-ANTIFRAUD"),
    "realname_pending_shutdown": (OTHER, ["S2"], "E-ANTIFRAUD"),
    "mob_reported_lost": (OTHER, ["S2"], "E-REACTIVATE-ID"),
    "mob_user_stop": (OTHER, ["S2"], "E-REACTIVATE-ID"),
    "paid_still_stopped": (OTHER, ["S3", "A-RESUME"], "E-OK"),
    "hlr_barring_mismatch": (OTHER, ["S2", "S4", "A-HLR-SYNC"], "E-OK"),
    "hlr_ocsi_missing": (OTHER, ["S4", "A-HLR-SYNC"], "E-OK"),
    "ss_baoc_active": (OTHER, ["S4"], "E-SELF"),
    "cell_alarm": (OTHER, ["S4", "S5", "S6"], "E-MASS"),
    "weak_coverage": ({"S1": "no_service"}, ["S6"], "E-NETQ"),
    "trunk_route_alarm": ({"S1": "specific_numbers"}, ["S8"], "E-NET-ROUTE"),
}


async def run(number: str, answers: dict[str, str] | None = None):
    return await diagnose(SPEC, CustomerView(Reads(number, fresh=True)), answers=answers)


async def healthy_mobile(live: Any, *, intl_long_distance: bool) -> str:
    """A healthy customer whose mobile has international long distance opened or not."""
    found = await live.admin("GET", "/samples?condition=healthy&limit=100")
    for customer in found["customers"]:
        keys = customer["keys"]
        if "mobile" not in keys:
            continue
        products = (await live.data("crm", "products", keys["cust_id"]))["products"]
        mobile = next(p for p in products if p["number"] == keys["mobile"])
        if mobile["features"]["intl_long_distance"] is intl_long_distance:
            await live.force(customer["number"], [])
            return str(keys["mobile"])
    raise AssertionError(f"no healthy mobile with intl_long_distance={intl_long_distance}")


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
    assert [v.step.id for v in diagnosis.path] == ["S1", "S2", "S4", "S5", "S6", "G1"]
    assert diagnosis.stopped == "needs_answer"


@pytest.mark.parametrize(("intl_long_distance", "end"), [(False, "E-ORDER"), (True, "E-EXPLAIN")])
async def test_one_number_failing_without_a_route_alarm_turns_on_international_calls(
    live, intl_long_distance, end
):
    number = await healthy_mobile(live, intl_long_distance=intl_long_distance)
    diagnosis = await run(number, {"S1": "specific_numbers"})
    assert diagnosis.failed == {}
    assert [v.step.id for v in diagnosis.path] == ["S1", "S8", end]


@pytest.mark.parametrize(
    ("answer", "end"),
    [
        ("recovered", "E-OK"),
        ("other_phone_ok", "E-TERMINAL"),
        ("other_card_ok", "E-UIM"),
        ("still_failing", "E-EXPERT"),
    ],
)
async def test_the_callers_answers_at_the_handset_check_lead_to_their_ends(live, answer, end):
    customer = await live.sample("healthy", "mobile")
    diagnosis = await run(customer["keys"]["mobile"], {**OTHER, "G1": answer})
    assert [v.step.id for v in diagnosis.path][-2:] == ["G1", end]
