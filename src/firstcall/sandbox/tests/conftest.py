"""Sandbox tests: a real aiohttp server on a loopback port per test, a frozen clock, no Django.

(The project's root conftest is Django-oriented; nothing here asks for its `db` fixture.)
"""

from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta

import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from firstcall.sandbox.config import CST, SandboxConfig
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.model import Customer
from firstcall.sandbox.server import SANDBOX, make_app

EPOCH = datetime(2024, 6, 12, tzinfo=CST)
NOW = EPOCH + timedelta(hours=10, minutes=30)
SEED = 20240612


def frozen_config(**changes: object) -> SandboxConfig:
    values: dict = {
        "seed": SEED,
        "customers": 100_000,
        "latency": False,
        "epoch": EPOCH,
        "clock": lambda: NOW,
    }
    values.update(changes)
    return SandboxConfig(**values)


@pytest.fixture
def app() -> web.Application:
    return make_app(frozen_config())


@pytest.fixture
def sandbox(app: web.Application) -> Sandbox:
    return app[SANDBOX]


@pytest_asyncio.fixture
async def client(app: web.Application) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


def healthy_customer(
    sb: Sandbox, condition: str, fits: Callable[[Customer], bool] = lambda c: True
) -> Customer:
    """The first customer without conditions that the condition can be forced on."""
    from firstcall.sandbox.conditions import BY_NAME

    needs = BY_NAME[condition].needs
    for index in range(sb.config.customers):
        if needs(sb.profile(index)) and not sb.generated_conditions(index):
            c = sb.customer(index)
            if fits(c):
                return c
    raise AssertionError(f"no healthy customer fits {condition}")


async def force(client: TestClient, number: str, *conditions: str) -> dict:
    response = await client.put(
        f"/_admin/customers/{number}/conditions", json={"conditions": list(conditions)}
    )
    assert response.status == 200, await response.text()
    return await response.json()


async def truth(client: TestClient, number: str) -> dict:
    response = await client.get(f"/_admin/customers/{number}")
    assert response.status == 200
    return await response.json()
