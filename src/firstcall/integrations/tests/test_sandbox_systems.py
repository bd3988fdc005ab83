"""Every system the demo registers answers its health check through the registry, over real HTTP,
from the sandbox running on a loopback port."""

import pytest
from aiohttp.test_utils import TestServer
from asgiref.sync import sync_to_async
from django.db import connections

from firstcall.core.audit import ChangeContext
from firstcall.integrations import registry, services
from firstcall.integrations.models import BackendSystem
from firstcall.sandbox.config import SandboxConfig
from firstcall.sandbox.server import make_app

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def sandbox():
    server = TestServer(make_app(SandboxConfig(latency=False)))
    await server.start_server()
    registry.reset_breakers()
    yield server
    await registry.close_sessions()
    await server.close()
    # sync_to_async ran ORM calls in its own thread; close that thread's connection.
    await sync_to_async(connections.close_all)()


def point_registry_at(base: str) -> None:
    ctx = ChangeContext.for_cli("test")
    services.seed_sandbox_systems(ctx)
    for name, _kind, _title, prefix in services.SANDBOX_SYSTEMS:
        system = BackendSystem.objects.get(name=name)
        services.update_system(ctx, system, base_url=f"{base}/{prefix}")


async def test_every_registered_sandbox_system_is_up(sandbox):
    await sync_to_async(point_registry_at)(str(sandbox.make_url("")).rstrip("/"))
    names = {name for name, *_ in services.SANDBOX_SYSTEMS}
    assert set(await registry.configs()) == names
    for name in sorted(names):
        result = await registry.call(name, "health")
        assert result.ok, f"{name}: {result.error}"
