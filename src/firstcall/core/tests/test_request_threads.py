"""The ASGI handler runs each request's sync work on one of a fixed few threads (firstcall.asgi):
no thread is started per request, a request's calls stay on one thread, and a sync call that
goes back to async code (async_to_sync inside sync_to_async) still completes."""

import threading

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from firstcall.asgi import RequestThreads


def _ident() -> int:
    return threading.get_ident()


async def _request() -> tuple[int, int]:
    async with RequestThreads():
        first = await sync_to_async(_ident)()
        second = await sync_to_async(_ident)()
    return first, second


@pytest.mark.asyncio
async def test_a_request_keeps_one_thread_and_threads_are_reused():
    pool = {id(executor) for executor in RequestThreads.pool}
    seen = set()
    for _ in range(3 * len(RequestThreads.pool)):
        first, second = await _request()
        assert first == second  # one request, one thread
        seen.add(first)
    assert threading.get_ident() not in seen
    assert len(seen) == len(pool)  # round the fixed few, no new thread per request
    started = threading.active_count()
    await _request()
    assert threading.active_count() == started


@pytest.mark.asyncio
async def test_sync_code_that_goes_back_to_async_code_completes():
    async def inner() -> int:
        return await sync_to_async(_ident)()

    def outer() -> tuple[int, int]:
        return threading.get_ident(), async_to_sync(inner)()

    async with RequestThreads():
        outer_thread, inner_thread = await sync_to_async(outer)()
    assert outer_thread == inner_thread  # the nested call ran on the request's own thread
