"""An answer that has just arrived serves a read of the same number that starts a moment later
(the seventh panel of a screen, which the browser sends when the first is done), until it is
kept in the call cache; a repair's fresh reads never take it."""

import asyncio
from typing import Any

import pytest

from firstcall.customers import cache, gather
from firstcall.integrations import registry
from firstcall.integrations.envelope import CallError, Result


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, tuple[str, ...]]]:
    """A back end that answers every read and counts the calls."""
    calls: list[tuple[str, str, tuple[str, ...]]] = []

    async def call(system: str, operation: str, *args: str, **_kw: Any) -> Result:
        calls.append((system, operation, args))
        await asyncio.sleep(0)
        if system == "down":
            return Result.failure(system, operation, CallError("timeout", "too slow", True))
        return Result(system, operation, True, data={"n": len(calls)}, latency_ms=1.0)

    monkeypatch.setattr(registry, "call", call)
    return calls


def read(number: str, system: str, *, fresh: bool = False) -> Result:
    async def go() -> Result:
        reads = gather.Reads(number, fresh=fresh)
        reads.preload({}, None)
        return await reads.get(system, "record", number)

    return asyncio.run(go())


def test_a_read_a_moment_later_takes_the_answer_that_just_arrived(backend):
    first = read("13800000001", "hlr")
    again = read("13800000001", "hlr")
    assert backend == [("hlr", "record", ("13800000001",))]
    assert again.data == first.data == {"n": 1}


def test_another_number_or_system_is_read_on_its_own(backend):
    read("13800000001", "hlr")
    read("13800000002", "hlr")
    read("13800000001", "ocs")
    assert len(backend) == 3


def test_a_failure_is_not_kept_the_next_read_asks_again(backend):
    assert not read("13800000001", "down").ok
    read("13800000001", "down")
    assert len(backend) == 2


def test_fresh_reads_and_a_forgotten_number_ask_the_back_end(backend):
    read("13800000001", "hlr")
    assert read("13800000001", "hlr", fresh=True).data == {"n": 2}
    cache.forget_recent("13800000001")
    assert read("13800000001", "hlr").data == {"n": 3}


def test_old_answers_are_dropped(backend, monkeypatch):
    read("13800000001", "hlr")
    now = cache.time.monotonic()
    monkeypatch.setattr(cache.time, "monotonic", lambda: now + cache.RECENT_SECONDS + 1)
    assert cache.just_read("13800000001", "hlr.record:13800000001") is None
    read("13800000002", "hlr")  # an insert drops what is past its time
    assert ("13800000001", "hlr.record:13800000001") not in cache._recent
