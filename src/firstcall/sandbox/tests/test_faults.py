"""Latency is a distribution set per system at run time; each fault kind behaves as documented."""

import asyncio
import time

import aiohttp
import pytest

from firstcall.sandbox.tests.conftest import healthy_customer


async def put(client, path: str, body: dict) -> tuple[int, dict]:
    response = await client.put(path, json=body)
    return response.status, await response.json()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "body", [{"kind": "explode"}, {"kind": "error", "status": 404}, {"kind": "error", "rate": 2}]
)
async def test_bad_faults_are_refused(client, body):
    assert (await put(client, "/_admin/systems/hlr/fault", body))[0] == 422


@pytest.mark.asyncio
async def test_unknown_system_is_404(client):
    assert (await client.get("/_admin/systems/mainframe/fault")).status == 404


@pytest.mark.asyncio
async def test_error_fault_answers_5xx_in_the_systems_own_shape(client):
    await put(client, "/_admin/systems/hlr/fault", {"kind": "error", "status": 502})
    response = await client.get("/hlr/v1/subscribers/18900000000")
    assert response.status == 502
    assert "ResultCode" in await response.json()
    aaa = await client.get("/aaa/health")
    assert aaa.status == 200, "only the faulted system fails"


@pytest.mark.asyncio
async def test_timeout_fault_hangs_past_the_client_timeout(client):
    await put(client, "/_admin/systems/crm/fault", {"kind": "timeout", "hang_s": 0.5})
    with pytest.raises(asyncio.TimeoutError):
        await client.get("/crm/health", timeout=aiohttp.ClientTimeout(total=0.1))
    started = time.perf_counter()
    response = await client.get("/crm/health")
    assert response.status == 504 and time.perf_counter() - started >= 0.45


@pytest.mark.asyncio
async def test_malformed_fault_returns_a_body_that_is_not_json(client):
    await put(client, "/_admin/systems/billing/fault", {"kind": "malformed"})
    response = await client.get("/billing/health")
    assert response.status == 200 and response.content_type == "application/json"
    with pytest.raises(ValueError):
        await response.json()


@pytest.mark.asyncio
async def test_slow_fault_adds_its_delay(client):
    await put(client, "/_admin/systems/ocs/fault", {"kind": "slow", "delay_ms": 250})
    started = time.perf_counter()
    assert (await client.get("/ocs/health")).status == 200
    assert time.perf_counter() - started >= 0.24


@pytest.mark.asyncio
async def test_down_fault_drops_the_connection(client):
    await put(client, "/_admin/systems/aaa/fault", {"kind": "down"})
    with pytest.raises(aiohttp.ClientConnectionError):
        await client.get("/aaa/health")


@pytest.mark.asyncio
async def test_fault_rate_hits_a_share_of_requests(client):
    await put(client, "/_admin/systems/res/fault", {"kind": "error", "rate": 0.5})
    statuses = [(await client.get("/res/health")).status for _ in range(200)]
    assert 50 < statuses.count(503) < 150 and statuses.count(200) > 50


@pytest.mark.asyncio
async def test_a_faulted_command_is_not_executed(client, sandbox):
    c = healthy_customer(sandbox, "hlr_barring_mismatch")
    await client.put(
        f"/_admin/customers/{c.service_number}/conditions",
        json={"conditions": ["hlr_barring_mismatch"]},
    )
    await put(client, "/_admin/systems/hlr/fault", {"kind": "error"})
    assert (await client.post(f"/hlr/v1/subscribers/{c.mobile.msisdn}/resync")).status == 503
    ground = await (await client.get(f"/_admin/customers/{c.service_number}")).json()
    assert ground["conditions"] == ["hlr_barring_mismatch"]


@pytest.mark.asyncio
async def test_admin_and_contract_are_never_faulted_and_clearing_restores(client):
    for system in ("crm", "hlr"):
        await put(client, f"/_admin/systems/{system}/fault", {"kind": "error"})
    assert (await client.get("/_admin/systems")).status == 200
    assert (await client.get("/")).status == 200
    await put(client, "/_admin/systems/crm/fault", {"kind": "none"})
    assert (await client.get("/crm/health")).status == 200
    await client.post("/_admin/reset")
    assert (await client.get("/hlr/health")).status == 200
