"""F-BB-651 against the sandbox: for each data branch, a customer the sandbox's ground truth gives
that condition (the conditions docstring maps them); auto-diagnosis reaches the flow's answer.
The caller's answers needed to get past the ask and guide steps are given."""

from typing import Any

import pytest

from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.navigation import seeding
from firstcall.navigation.diagnosis import diagnose

SPEC = seeding.load(seeding.SEED_DIR / "F-BB-651.yaml")[0]

LOS = {"S3": "los"}
STILL_651 = {"S3": "lights_ok", "G2": "still_651"}

# condition forced in the sandbox -> (caller's answers, steps the walk passes through, its end)
CASES = {
    "arrears_stop": ({}, ["S1"], "E-PAY"),
    "ont_route_mode": ({}, ["S1"], "E-ROUTEMODE"),
    "access_alarm": ({}, ["S1", "S2"], "E-MASS"),
    "onu_power_off": ({**LOS, "G3": "recovered"}, ["S3", "S4", "G3"], "E-OK"),
    "weak_optical_power": ({**LOS, "G4": "still_los"}, ["S4", "G4"], "E-FAULT-FIBRE"),
    "onu_loid_mismatch": (LOS, ["S4", "S5", "A-REPROV"], "E-OK"),
    "onu_vlan_error": ({"S3": "pon_off"}, ["S5"], "E-FAULT-NET"),
    "lan_port_fault": ({"S3": "lan_port_dark"}, ["S4L"], "E-FAULT-FIELD-LAN"),
    "bb_wrong_password": (STILL_651, ["G2", "S6"], "GOTO-691"),
    "aaa_no_auth_requests": (STILL_651, ["G2", "S6"], "E-FAULT-NET"),
}


async def healthy_line(live: Any, access: str) -> str:
    """A healthy customer whose broadband line has this access type and whose ONT is bridged (a
    PC or router behind it dials: the case of a customer who reports 651 from a PC)."""
    found = await live.admin("GET", "/samples?condition=healthy&limit=200")
    for customer in found["customers"]:
        keys = customer["keys"]
        if "broadband" not in keys:
            continue
        products = (await live.data("crm", "products", keys["cust_id"]))["products"]
        line = next(p for p in products if p["number"] == keys["broadband"])
        if line.get("access_type") == access and (line.get("ont") or {}).get("mode") == "桥接":
            await live.force(customer["number"], [])
            return str(keys["broadband"])
    raise AssertionError(f"no healthy bridged {access} line")


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


async def test_a_healthy_fibre_line_waits_for_the_ont_lights(live):
    diagnosis = await run(await healthy_line(live, "FTTH"))
    assert diagnosis.failed == {}
    assert [v.step.id for v in diagnosis.path] == ["S1", "S2", "S3"]
    assert diagnosis.stopped == "needs_answer"


async def test_a_healthy_onu_registered_with_its_service_goes_on_to_the_restart(live):
    diagnosis = await run(await healthy_line(live, "FTTH"), {"S3": "pon_off", "G2": "recovered"})
    assert diagnosis.failed == {}
    assert [v.step.id for v in diagnosis.path][-4:] == ["S3", "S5", "G2", "E-OK"]


async def test_a_healthy_lan_port_that_is_up_goes_on_to_the_cable_check(live):
    diagnosis = await run(await healthy_line(live, "LAN"), {"S3": "lan_port_dark"})
    assert diagnosis.failed == {}
    assert [v.step.id for v in diagnosis.path][-2:] == ["S4L", "G1"]
    assert diagnosis.stopped == "needs_answer"


@pytest.mark.parametrize(
    ("answers", "end"),
    [
        ({"S3": "lan_light_off", "G1": "recovered"}, "E-OK"),
        ({"S3": "lan_light_off", "G1": "not_recovered"}, "E-FAULT-CPE"),
        ({"S3": "lights_ok", "G2": "now_691"}, "GOTO-691"),
    ],
)
async def test_the_callers_answers_lead_to_their_ends(live, answers, end):
    diagnosis = await run(await healthy_line(live, "FTTH"), answers)
    assert diagnosis.terminal is not None and diagnosis.terminal.id == end
    assert [v.step.id for v in diagnosis.path][-len(answers) - 1 :] == [*answers, end]
