"""A slow operation (a line test) has a timeout of its own and a breaker of its own: it succeeds
when it answers later than the system's timeout but within its own, and its timeouts never open
the breaker that guards the system's fast reads."""

import asyncio
from typing import Any, ClassVar

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from asgiref.sync import sync_to_async
from django.db import connections

from firstcall.core.audit import ChangeContext
from firstcall.integrations import registry, services
from firstcall.integrations.connectors import CONNECTORS
from firstcall.integrations.connectors.crm import CrmConnector

pytestmark = pytest.mark.django_db(transaction=True)

# How long each system's line test takes to answer, in seconds.
LINE_TEST_SECONDS = {"measured": 0.3, "stuck": 1.5}


class LineTesting(CrmConnector):
    operation_timeouts_ms: ClassVar[dict[str, int]] = {"line_test": 700}

    async def line_test(self) -> Any:
        return await self.fetch("line_test", "/line-test")


def line_backend() -> web.Application:
    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "UP"})

    async def line_test(request: web.Request) -> web.Response:
        await asyncio.sleep(LINE_TEST_SECONDS[request.match_info["name"]])
        return web.json_response({"result": "ok"})

    app = web.Application()
    app.router.add_get("/{name}/health", health)
    app.router.add_get("/{name}/line-test", line_test)
    return app


@pytest.fixture
async def backend(monkeypatch):
    monkeypatch.setitem(CONNECTORS, "crm", LineTesting)
    server = TestServer(line_backend())
    await server.start_server()
    registry.reset_breakers()
    yield server
    await registry.close_sessions()
    await server.close()
    registry.reset_breakers()
    await sync_to_async(connections.close_all)()


async def _add(server: TestServer, name: str, **options: Any) -> None:
    def create() -> None:
        services.create_system(
            ChangeContext.for_cli("test"),
            name=name,
            kind="crm",
            title=name,
            base_url=str(server.make_url(f"/{name}")),
            credentials={"api_key": "k"},
            **options,
        )

    await sync_to_async(create)()
    registry.forget_configs()


async def test_an_operation_slower_than_the_system_timeout_succeeds_within_its_own(backend):
    await _add(backend, "measured", timeout_ms=150, retries=0)
    result = await registry.call("measured", "line_test")
    assert result.ok, result.error
    assert result.latency_ms >= 250
    # The system's own timeout still holds for everything else.
    assert registry.operation_timeout_ms(registry._configs["measured"], "health") is None


async def test_slow_operation_timeouts_do_not_open_the_fast_reads_breaker(backend):
    await _add(backend, "stuck", timeout_ms=150, retries=0, failure_threshold=2, open_seconds=60)
    for _ in range(2):
        result = await registry.call("stuck", "line_test")
        assert result.error is not None and result.error.code == "timeout"
    # The line test's own breaker opened ...
    assert (await registry.call("stuck", "line_test")).error.code == "rejected"
    # ... the reads of the same system still pass.
    assert (await registry.call("stuck", "health")).ok
    assert registry.breaker_states()["stuck"] == "closed"
    assert registry.breaker_states()["stuck:slow"] == "open"
