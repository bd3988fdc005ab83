"""F-MOB-ORDER against the sandbox: for each data branch, a customer the sandbox's ground truth
gives that condition (the conditions docstring maps them); auto-diagnosis reaches the flow's
answer (every step of this flow decides on data)."""

import pytest

from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.navigation import seeding
from firstcall.navigation.diagnosis import diagnose

SPEC = seeding.load(seeding.SEED_DIR / "F-MOB-ORDER.yaml")[0]

# condition forced in the sandbox -> (steps the walk passes through, its end)
CASES = {
    "order_not_found": (["S1"], "E-NOORDER"),
    "order_failed_rule": (["S1", "S4"], "E-EXPLAIN-RULE"),
    "order_failed_channel": (["S1", "S4"], "E-CHANNEL"),
    "order_pending_effective": (["S1", "S2"], "E-EXPLAIN-TIME"),
    "order_stuck": (["S2", "A-RESEND", "S5"], "E-EXPLAIN-USE"),
    "bb_install_pending": (["S1", "S2"], "E-INSTALL"),
    "hlr_roaming_mismatch": (["S1", "S3", "A-RESEND", "S5"], "E-EXPLAIN-USE"),
    "order_overcharged": (["S3", "S5", "A-REFUND"], "E-EXPLAIN-USE"),
}


async def run(number: str):
    return await diagnose(SPEC, CustomerView(Reads(number, fresh=True)))


@pytest.mark.parametrize("condition", sorted(CASES))
async def test_auto_diagnosis_reaches_the_branch_the_sandbox_holds(live, condition):
    customer = await live.sample(condition)
    through, end = CASES[condition]
    diagnosis = await run(customer["number"])
    path = [visit.step.id for visit in diagnosis.path]
    assert diagnosis.failed == {}
    assert diagnosis.terminal is not None, (condition, path, diagnosis.stopped, diagnosis.facts)
    assert diagnosis.terminal.id == end, (condition, path, diagnosis.facts)
    for step in through:
        assert step in path, (condition, path)


async def test_a_healthy_customers_completed_order_is_in_force_and_billed_right(live):
    customer = await live.sample("healthy", "mobile")
    diagnosis = await run(customer["keys"]["mobile"])
    assert diagnosis.failed == {}
    assert [v.step.id for v in diagnosis.path] == ["S1", "S3", "S5", "E-EXPLAIN-USE"]


async def _mobile_caller_whose_newest_order_is_broadband(live) -> str:
    """A paid-but-still-stopped mobile number with an order of its own, whose customer's newest
    order (of any product) is a broadband one: the case F-MOB-ORDER once diagnosed on the
    broadband order."""
    found = await live.admin("GET", "/samples?condition=paid_still_stopped&limit=60")
    for customer in found["customers"]:
        keys = customer["keys"]
        if "mobile" not in keys or "broadband" not in keys:
            continue
        await live.force(customer["number"], ["paid_still_stopped"])
        view = CustomerView(Reads(keys["mobile"], fresh=True))
        cust_id = str((await view.customer()).data["cust_id"])
        orders = (await view.reads.get("crm", "orders", cust_id)).data["orders"]
        newest = max(orders, key=lambda o: str(o.get("accepted_at") or ""))
        mobile = [o for o in orders if o["product_type"] == "mobile"]
        if newest["product_type"] == "broadband" and mobile:
            return str(keys["mobile"])
    raise AssertionError("no paid_still_stopped customer whose newest order is broadband")


async def test_a_mobile_caller_is_diagnosed_on_the_mobile_order_not_a_newer_broadband_one(live):
    """Issue 10, part 5: the mobile number is still stopped although paid; the broadband order is
    newer but says nothing about it. The walk reads the mobile order (completed), finds the
    mobile platforms not as sold (stopped, paid) and resends, instead of passing the broadband
    order as in force."""
    number = await _mobile_caller_whose_newest_order_is_broadband(live)
    diagnosis = await run(number)
    path = [visit.step.id for visit in diagnosis.path]
    assert diagnosis.failed == {}
    assert path[:3] == ["S1", "S3", "A-RESEND"], (path, diagnosis.facts)
    assert diagnosis.facts["order_effective"] is False
