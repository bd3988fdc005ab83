"""The operator sandbox on a loopback port, with every registry system pointed at it, for contract
tests of the connectors.

The tests import the sandbox only to start it; ground truth and forced conditions come from its
sandbox-only `/_admin` endpoints over HTTP, like any other client of it. The connectors themselves
import nothing of the sandbox.
"""

from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer
from asgiref.sync import sync_to_async

from firstcall.core.audit import ChangeContext
from firstcall.integrations import registry, services
from firstcall.integrations.envelope import Result
from firstcall.integrations.models import BackendSystem
from firstcall.sandbox.config import SandboxConfig
from firstcall.sandbox.server import make_app

PREFIXES = {name: prefix for name, _kind, _title, prefix in services.SANDBOX_SYSTEMS}


def _register(base: str) -> None:
    ctx = ChangeContext.for_cli("test")
    for name, kind, title, prefix in services.SANDBOX_SYSTEMS:
        BackendSystem.objects.filter(name=name).delete()
        services.create_system(
            ctx,
            name=name,
            kind=kind,
            title=title,
            base_url=f"{base}/{prefix}",
            credentials={"api_key": f"sandbox-{name}"},
            timeout_ms=3000,
        )


class LiveSandbox:
    def __init__(self, server: TestServer, http: aiohttp.ClientSession) -> None:
        self.server = server
        self.http = http
        self.base = str(server.make_url("")).rstrip("/")

    async def call(self, system: str, operation: str, *args: Any) -> Result:
        return await registry.call(system, operation, *args)

    async def data(self, system: str, operation: str, *args: Any) -> Any:
        """The data of a call that must succeed."""
        result = await registry.call(system, operation, *args)
        assert result.ok, f"{system}.{operation}{args}: {result.error}"
        return result.data

    async def admin(self, method: str, path: str, body: Any = None) -> Any:
        async with self.http.request(method, f"{self.base}/_admin{path}", json=body) as response:
            assert response.status == 200, f"{method} {path}: {response.status}"
            return await response.json()

    async def sample(self, condition: str, *needs: str) -> dict[str, Any]:
        """A customer generated with `condition` (and the product keys in `needs`), forced to carry
        exactly that condition, so no `repair_rejected` or second condition gets in the way."""
        found = await self.admin("GET", f"/samples?condition={condition}&limit=20")
        for customer in found["customers"]:
            if all(need in customer["keys"] for need in needs):
                conditions = [] if condition == "healthy" else [condition]
                await self.force(customer["number"], conditions)
                return customer
        raise AssertionError(f"no sample of {condition} with {needs}")

    async def force(self, number: str, conditions: list[str]) -> None:
        await self.admin("PUT", f"/customers/{number}/conditions", {"conditions": conditions})

    async def truth(self, number: str) -> dict[str, Any]:
        return await self.admin("GET", f"/customers/{number}")

    async def facts(self, number: str, platform: str) -> dict[str, Any]:
        """Ground truth expected-vs-actual facts of one platform, by field."""
        truth = await self.truth(number)
        return {f["field"]: f for f in truth["facts"] if f["platform"] == platform}

    async def state_changes(self) -> int:
        return int((await self.admin("GET", "/commands"))["state_changes"])

    async def fault(self, system: str, kind: str, **options: Any) -> None:
        await self.admin("PUT", f"/systems/{PREFIXES[system]}/fault", {"kind": kind, **options})


async def start() -> tuple[TestServer, LiveSandbox]:
    server = TestServer(make_app(SandboxConfig(latency=False)))
    await server.start_server()
    live = LiveSandbox(server, aiohttp.ClientSession())
    await sync_to_async(_register)(live.base)
    registry.forget_configs()
    registry.reset_breakers()
    return server, live


async def stop(server: TestServer, live: LiveSandbox) -> None:
    await registry.close_sessions()
    await live.http.close()
    await server.close()
    registry.forget_configs()
    registry.reset_breakers()
