"""Fixtures of the customer tests: the live sandbox (as in the integration tests), a count of the
requests that reach it, and the demo org tree, which a transactional test that ran earlier may
have flushed away."""

import asyncio
from collections import Counter, defaultdict
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.utils.functional import Promise

from firstcall.core.audit import ChangeContext
from firstcall.core.models import ObjectChange
from firstcall.customers.gather import Reads
from firstcall.customers.queries import unit_for_customer
from firstcall.customers.unified import CustomerView
from firstcall.integrations import services as integrations
from firstcall.integrations.models import BackendSystem
from firstcall.integrations.tests import live_sandbox
from firstcall.orgs.models import OrgUnit
from firstcall.sandbox.app import SANDBOX

REGISTRY_NAME = {prefix: name for name, prefix in live_sandbox.PREFIXES.items()}


def _ensure_demo() -> None:
    """Transactional tests flush every table when they end; seed the demo again if needed."""
    if not OrgUnit.objects.filter(code="HQ").exists():
        from firstcall.seeding import seed

        seed(demo=True)


@pytest.fixture
async def live(transactional_db: None):
    """The sandbox on a loopback port with every registry system pointed at it (registered after
    the demo seed, so that its registry rows are the ones in force)."""
    await sync_to_async(_ensure_demo)()
    server, sandbox = await live_sandbox.start()
    yield sandbox
    await live_sandbox.stop(server, sandbox)
    await sync_to_async(connections.close_all)()


class Hits:
    """Requests that reached each sandbox system (reads and commands), by registry name."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.arrived: defaultdict[str, asyncio.Event] = defaultdict(asyncio.Event)

    def __getitem__(self, system: str) -> int:
        return self.counts[system]

    def total(self) -> int:
        return sum(self.counts.values())


@pytest.fixture
def hits(live, monkeypatch) -> Hits:
    """Counts every request the sandbox's systems receive (the fault middleware asks `hit` once
    per request to a system, never for /_admin)."""
    seen = Hits()
    runtime = live.server.app[SANDBOX].runtime
    original = runtime.hit

    def hit(system: str) -> Any:
        name = REGISTRY_NAME.get(system, system)
        seen.counts[name] += 1
        seen.arrived[name].set()
        return original(system)

    monkeypatch.setattr(runtime, "hit", hit)
    return seen


@pytest.fixture
def ctx() -> ChangeContext:
    return ChangeContext(actor_label="test", source=ObjectChange.Source.WEB)


def fresh_view(number: str) -> CustomerView:
    """A view that asks every back end (no call cache), as after "refresh"."""
    return CustomerView(Reads(number, fresh=True), speculate=True)


def cached_view(number: str) -> CustomerView:
    """A view through the call cache, as a panel of the agent screen reads."""
    return CustomerView(Reads(number), speculate=True)


async def unit_of(view: CustomerView) -> OrgUnit:
    customer = await view.customer()
    assert customer.ok, customer.error
    unit = await sync_to_async(unit_for_customer)(customer.data)
    assert unit is not None, f"no demo unit serves {customer.data.get('region')}"
    return unit


async def configure(system: str, **changes: Any) -> None:
    """Change a registry system's settings, as an administrator would."""

    def change() -> None:
        ctx = ChangeContext.for_cli("test")
        integrations.update_system(ctx, BackendSystem.objects.get(name=system), **changes)

    await sync_to_async(change)()


def plain(value: Any) -> Any:
    return str(value) if isinstance(value, Promise) else value


def summary(mismatches: list[Any]) -> list[tuple[str, str, str | None]]:
    """(platform, field, fix "system.operation" or None) of each mismatch, sorted."""
    return sorted(
        (m.platform, m.field, f"{m.fix.system}.{m.fix.operation}" if m.fix else None)
        for m in mismatches
    )


class Commands:
    """Commands (non-GET requests) that reached each sandbox system, by registry name; `hold`
    keeps every command waiting in the sandbox until it is set, and a system in `down_after`
    drops every request that follows its first command."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.arrived = asyncio.Event()
        self.hold: asyncio.Event | None = None
        self.down_after: set[str] = set()

    def __getitem__(self, system: str) -> int:
        return self.counts[system]

    def total(self) -> int:
        return sum(self.counts.values())


@pytest.fixture
def commands(live, monkeypatch) -> Commands:
    from firstcall.sandbox.faults import Fault

    seen = Commands()
    runtime = live.server.app[SANDBOX].runtime
    wait, hit = runtime.wait, runtime.hit

    async def counting_wait(system: str, *, command: bool) -> None:
        if command:
            seen.counts[REGISTRY_NAME.get(system, system)] += 1
            seen.arrived.set()
            if seen.hold is not None:
                await asyncio.wait_for(seen.hold.wait(), 20)
        await wait(system, command=command)

    def faulting_hit(system: str) -> Any:
        name = REGISTRY_NAME.get(system, system)
        if name in seen.down_after and seen.counts[name]:
            return Fault(kind="down")
        return hit(system)

    monkeypatch.setattr(runtime, "wait", counting_wait)
    monkeypatch.setattr(runtime, "hit", faulting_hit)
    return seen
