"""The registry's settings: re-read in the background when they age, at once after a change."""

import asyncio
import threading

import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from firstcall.core.audit import ChangeContext
from firstcall.integrations import registry, services
from firstcall.integrations.models import BackendSystem

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def one_system():
    ctx = ChangeContext.for_cli("test")
    await sync_to_async(services.create_system)(
        ctx, name="probe", kind="crm", title="Probe", base_url="http://127.0.0.1:9/crm"
    )
    registry.forget_configs()
    yield ctx
    registry.forget_configs()
    await sync_to_async(connections.close_all)()


async def test_a_change_made_through_firstcall_is_seen_by_the_next_call(one_system):
    assert (await registry.configs())["probe"].timeout_ms == 800
    system = await BackendSystem.objects.aget(name="probe")
    await sync_to_async(services.update_system)(one_system, system, timeout_ms=1234)
    assert (await registry.configs())["probe"].timeout_ms == 1234


async def test_aged_settings_are_reread_without_making_calls_wait(one_system, monkeypatch):
    first = await registry.configs()
    release = threading.Event()
    started = threading.Event()
    real = registry._load_configs

    def slow_load():
        started.set()
        release.wait(5)
        return real()

    monkeypatch.setattr(registry, "_load_configs", slow_load)
    monkeypatch.setattr(registry, "_configs_loaded_at", 0.0)  # aged
    # Answered at once with the settings it has, while the re-read runs in the background.
    assert await asyncio.wait_for(registry.configs(), 1) is first
    assert await asyncio.to_thread(started.wait, 5)
    assert await asyncio.wait_for(registry.configs(), 1) is first  # one re-read, not another
    release.set()
    _generation, task = registry._refreshing[asyncio.get_running_loop()]
    await task
    assert (await registry.configs()) is not first
