"""Sandbox-only admin endpoints: ground truth, forced conditions, samples, reset."""

import pytest

from firstcall.sandbox.tests.conftest import force, healthy_customer, truth


@pytest.mark.asyncio
async def test_ground_truth_lists_conditions_facts_and_keys(client, sandbox):
    c = healthy_customer(sandbox, "hlr_barring_mismatch")
    healthy = await truth(client, c.service_number)
    assert healthy["healthy"] and healthy["facts"] == [] and healthy["conditions"] == []
    forced = await force(client, c.service_number, "hlr_barring_mismatch")
    assert forced["forced"] and forced["conditions"] == ["hlr_barring_mismatch"]
    facts = {(f["platform"], f["field"]): (f["expected"], f["actual"]) for f in forced["facts"]}
    assert facts[("HLR", "gsm_oc")] == (False, True)
    assert forced["details"][0]["branches"][0].startswith("F-MOB-NOCALL S4")
    assert forced["keys"]["mobile"] == c.mobile.msisdn


@pytest.mark.asyncio
async def test_ground_truth_reports_alarm_facts(client, sandbox):
    c = healthy_customer(sandbox, "access_alarm")
    ground = await force(client, c.broadband.account, "access_alarm")
    assert any(f["platform"] == "ALARM" and f["actual"] for f in ground["facts"])


@pytest.mark.asyncio
async def test_forced_conditions_are_set_and_cleared(client, sandbox):
    c = healthy_customer(sandbox, "arrears_stop", lambda c: c.mobile is not None)
    generated = (await truth(client, c.service_number))["generated"]
    await force(client, c.service_number, "arrears_stop", "sms_blocked")
    assert (await truth(client, c.service_number))["conditions"] == ["arrears_stop", "sms_blocked"]
    cleared = await (await client.delete(f"/_admin/customers/{c.service_number}/conditions")).json()
    assert cleared["conditions"] == generated and not cleared["forced"]


@pytest.mark.asyncio
async def test_forcing_a_condition_that_does_not_fit_is_refused(client, sandbox):
    c = healthy_customer(sandbox, "hlr_barring_mismatch", lambda c: c.broadband is None)
    response = await client.put(
        f"/_admin/customers/{c.service_number}/conditions",
        json={"conditions": ["weak_optical_power"]},
    )
    assert response.status == 422
    response = await client.put(
        f"/_admin/customers/{c.service_number}/conditions", json={"conditions": ["made_up"]}
    )
    assert response.status == 422
    assert (await client.get("/_admin/customers/12345")).status == 404


@pytest.mark.asyncio
async def test_samples_by_condition_and_healthy(client, sandbox):
    body = await (await client.get("/_admin/samples?condition=weak_optical_power&limit=3")).json()
    assert body["count"] == 3
    for found in body["customers"]:
        assert "weak_optical_power" in found["conditions"]
        assert found["number"] == found["keys"]["broadband"]
        assert "weak_optical_power" in (await truth(client, found["number"]))["conditions"]
    healthy = await (await client.get("/_admin/samples?condition=healthy&limit=5")).json()
    assert healthy["count"] == 5 and all(not f["conditions"] for f in healthy["customers"])
    assert (await client.get("/_admin/samples?condition=nope")).status == 422


@pytest.mark.asyncio
async def test_forced_customers_come_first_in_samples(client, sandbox):
    index = next(
        i
        for i in range(90_000, 100_000)
        if sandbox.profile(i).mobile and not sandbox.generated_conditions(i)
    )
    c = sandbox.customer(index)
    await force(client, c.service_number, "smsc_alarm")
    body = await (await client.get("/_admin/samples?condition=smsc_alarm&limit=1")).json()
    assert body["customers"][0]["index"] == c.index


@pytest.mark.asyncio
async def test_conditions_listing_names_rates_and_branches(client):
    body = await (await client.get("/_admin/conditions")).json()
    names = {c["name"] for c in body["conditions"]}
    assert {"arrears_stop", "repair_rejected", "iptv_stb_mismatch"} <= names
    assert all(c["branches"] for c in body["conditions"])


@pytest.mark.asyncio
async def test_reset_forgets_every_mutation(client, sandbox):
    c = healthy_customer(sandbox, "hlr_barring_mismatch")
    await force(client, c.service_number, "hlr_barring_mismatch")
    await client.post(f"/hlr/v1/subscribers/{c.mobile.msisdn}/resync")
    assert (await (await client.get("/_admin/commands")).json())["commands"]
    assert (await client.post("/_admin/reset")).status == 200
    ground = await truth(client, c.service_number)
    assert not ground["forced"] and ground["resolved"] == []
    assert (await (await client.get("/_admin/commands")).json())["commands"] == []
