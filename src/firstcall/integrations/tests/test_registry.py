"""The integration layer against a real loopback HTTP server that misbehaves on purpose."""

import asyncio
import time

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from asgiref.sync import sync_to_async
from django.db import connection, connections

from firstcall.core.audit import ChangeContext
from firstcall.integrations import registry, services
from firstcall.integrations.breaker import CircuitBreaker
from firstcall.integrations.models import BackendSystem, CallLog

pytestmark = pytest.mark.django_db(transaction=True)


HITS = web.AppKey("hits", dict)


def misbehaving_backend() -> web.Application:
    hits: dict[str, int] = {}

    async def health(request: web.Request) -> web.Response:
        kind = request.match_info["kind"]
        hits[kind] = hits.get(kind, 0) + 1
        if kind == "ok":
            return web.json_response({"status": "UP"})
        if kind == "err":
            return web.json_response({"error": "boom"}, status=503)
        if kind == "flaky" and hits[kind] == 1:
            return web.json_response({"error": "once"}, status=500)
        if kind == "flaky":
            return web.json_response({"status": "UP"})
        if kind == "garbage":
            return web.Response(text="<html>proxy error</html>", content_type="text/html")
        await asyncio.sleep(2)  # "slow": answers long after any sane timeout
        return web.json_response({"status": "UP"})

    app = web.Application()
    app[HITS] = hits
    app.router.add_get("/{kind}/health", health)
    return app


@pytest.fixture
async def backend():
    server = TestServer(misbehaving_backend())
    await server.start_server()
    registry.reset_breakers()
    yield server
    await registry.close_sessions()
    await server.close()
    # sync_to_async ran ORM calls in its own thread; close that thread's connection.
    await sync_to_async(connections.close_all)()


def register(server: TestServer, name: str, **options) -> None:
    services.create_system(
        ChangeContext.for_cli("test"),
        name=name,
        kind="crm",
        title=name,
        base_url=str(server.make_url(f"/{name}")),
        credentials={"api_key": "k"},
        **options,
    )


async def add(server: TestServer, name: str, **options) -> None:
    from asgiref.sync import sync_to_async

    await sync_to_async(register)(server, name, **options)
    registry.forget_configs()


async def test_ok_call_returns_data_and_is_logged_masked(backend):
    await add(backend, "ok")
    log = registry.CallLogBuffer(request_id="r1")
    result = await registry.call("ok", "health", customer_key="13912345678", log=log)
    assert result.ok and result.data == {"status": "UP"}
    await log.flush()
    from asgiref.sync import sync_to_async

    row = await sync_to_async(CallLog.objects.get)(request_id="r1")
    assert (row.system, row.outcome, row.customer_key) == ("ok", "ok", "139****5678")


async def test_5xx_is_retried_once_for_reads(backend):
    await add(backend, "flaky", retries=1)
    result = await registry.call("flaky", "health")
    assert result.ok
    assert backend.app[HITS]["flaky"] == 2


async def test_persistent_5xx_is_a_retryable_error(backend):
    await add(backend, "err", retries=1)
    result = await registry.call("err", "health")
    assert not result.ok and result.error.code == "http_5xx" and result.error.retryable


async def test_garbage_body_is_malformed_not_a_crash(backend):
    await add(backend, "garbage")
    result = await registry.call("garbage", "health")
    assert not result.ok and result.error.code == "malformed"


async def test_slow_backend_times_out_within_its_budget(backend):
    await add(backend, "slow", timeout_ms=150, retries=2)
    started = time.monotonic()
    result = await registry.call("slow", "health")
    elapsed = time.monotonic() - started
    assert not result.ok and result.error.code == "timeout"
    assert elapsed < 0.5, f"the timeout budget covers retries too, took {elapsed:.2f}s"


async def test_down_backend_is_unavailable(backend):
    await add(backend, "ok")
    from asgiref.sync import sync_to_async

    await sync_to_async(BackendSystem.objects.filter(name="ok").update)(
        base_url="http://127.0.0.1:9/ok"
    )
    registry.forget_configs()
    result = await registry.call("ok", "health")
    assert not result.ok and result.error.code == "unavailable"


async def test_breaker_opens_rejects_without_calling_and_closes_after_a_good_probe(backend):
    await add(backend, "err", retries=0, failure_threshold=3, open_seconds=30)
    for _ in range(3):
        assert (await registry.call("err", "health")).error.code == "http_5xx"
    hits = backend.app[HITS]["err"]
    rejected = await registry.call("err", "health")
    assert rejected.error.code == "rejected"
    assert backend.app[HITS]["err"] == hits, "an open breaker must not call the back end"

    # Time passes: the breaker lets one probe through; the back end has recovered.
    breaker = registry._breakers["err"]
    breaker.opened_at = time.monotonic() - 31
    from asgiref.sync import sync_to_async

    await sync_to_async(BackendSystem.objects.filter(name="err").update)(
        base_url=str(backend.make_url("/ok"))
    )
    registry.forget_configs()
    assert (await registry.call("err", "health")).ok
    assert breaker.state() == "closed"


async def test_disabled_or_unknown_system_is_an_error_envelope(backend):
    result = await registry.call("nope", "health")
    assert not result.ok and result.error.code == "disabled"


def test_breaker_state_machine():
    breaker = CircuitBreaker(failure_threshold=2, open_seconds=10)
    breaker.record_failure(now=0)
    assert breaker.state(now=0) == "closed"
    breaker.record_failure(now=1)
    assert breaker.state(now=1) == "open" and not breaker.allow(now=5)
    assert breaker.allow(now=11)  # the half-open probe
    assert not breaker.allow(now=11)  # only one probe at a time
    breaker.record_failure(now=11)
    assert breaker.state(now=12) == "open"


def test_credentials_are_encrypted_at_rest():
    services.create_system(
        ChangeContext.for_cli("test"),
        name="crm",
        kind="crm",
        title="CRM",
        base_url="http://127.0.0.1:8100/crm",
        credentials={"api_key": "very-secret-key"},
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM integrations_backendsystem WHERE name = 'crm'")
        raw = cursor.fetchone()[0]
    assert "very-secret-key" not in raw
    assert BackendSystem.objects.get(name="crm").credentials == {"api_key": "very-secret-key"}
