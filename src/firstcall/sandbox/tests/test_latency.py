"""Latency is a distribution (lognormal by p50/p99), per system, for reads and commands."""

import random
import statistics
import time

import pytest

from firstcall.sandbox.faults import Latency
from firstcall.sandbox.tests.conftest import healthy_customer
from firstcall.sandbox.tests.test_faults import put


def test_latency_draws_follow_the_configured_p50_and_p99():
    latency = Latency(True, 40.0, 400.0, 300.0, 1500.0)
    rng = random.Random(1)
    reads = sorted(latency.draw(rng, command=False) * 1000 for _ in range(20_000))
    commands = sorted(latency.draw(rng, command=True) * 1000 for _ in range(20_000))
    assert statistics.median(reads) == pytest.approx(40, rel=0.05)
    assert reads[int(0.99 * len(reads))] == pytest.approx(400, rel=0.12)
    assert statistics.median(commands) == pytest.approx(300, rel=0.05)
    assert len(set(reads)) > 19_000, "latency must vary, not be a constant"


def test_latency_off_draws_nothing():
    assert Latency(False, 40.0, 400.0, 300.0, 1500.0).draw(random.Random(1), command=False) == 0


@pytest.mark.asyncio
async def test_latency_is_set_and_read_at_run_time(client):
    status, body = await put(
        client, "/_admin/systems/hlr/latency", {"enabled": True, "p50_ms": 150, "p99_ms": 180}
    )
    assert status == 200 and body["latency"]["p50_ms"] == 150.0
    read = await (await client.get("/_admin/systems/hlr/latency")).json()
    assert read == body
    started = time.perf_counter()
    for _ in range(5):
        assert (await client.get("/hlr/health")).status == 200
    assert (time.perf_counter() - started) / 5 > 0.1
    started = time.perf_counter()
    assert (await client.get("/crm/health")).status == 200
    assert time.perf_counter() - started < 0.1, "other systems keep their own latency"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "body", [{"p50_ms": -1}, {"p50_ms": 500, "p99_ms": 100}, {"enabled": "yes"}, {"speed": 1}]
)
async def test_bad_latency_settings_are_refused(client, body):
    assert (await put(client, "/_admin/systems/hlr/latency", body))[0] == 422


@pytest.mark.asyncio
async def test_commands_have_their_own_latency(client, sandbox):
    c = healthy_customer(sandbox, "hlr_barring_mismatch")
    await put(
        client,
        "/_admin/systems/hlr/latency",
        {"enabled": True, "p50_ms": 1, "p99_ms": 2, "command_p50_ms": 250, "command_p99_ms": 280},
    )
    started = time.perf_counter()
    await client.get(f"/hlr/v1/subscribers/{c.mobile.msisdn}")
    read = time.perf_counter() - started
    started = time.perf_counter()
    await client.post(f"/hlr/v1/subscribers/{c.mobile.msisdn}/resync")
    command = time.perf_counter() - started
    assert read < 0.1 < 0.2 < command
