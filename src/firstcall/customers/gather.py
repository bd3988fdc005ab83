"""Reads for one service number: from the call cache when it has the answer, otherwise from the
back end through the integrations registry, each read at most once.

`Reads.get(system, operation, *args)` returns a task; callers start every read they can as soon
as its key is known and await them together, so a view costs about its slowest system. Reads of
the same number running at the same time in this process (the panels of one screen arrive
together) share one back-end call, and an answer that has just arrived serves the panels that
come a moment later (a browser sends at most six requests at once, so the seventh panel starts
when the first is done) until the request that read it has kept it in the call cache.
"""

import asyncio
from typing import Any

from asgiref.sync import sync_to_async
from django.db import transaction

from firstcall.core import clock
from firstcall.customers import cache
from firstcall.customers.models import CachedRead
from firstcall.integrations import registry
from firstcall.integrations.envelope import NOT_FOUND, CallError, Result

# Reads of the same number in flight in this process: (loop id, number, read key) -> future.
_inflight: dict[tuple[int, str, str], "asyncio.Future[Result]"] = {}


def _settled(flight: tuple[int, str, str], task: "asyncio.Future[Result]") -> None:
    if _inflight.get(flight) is task:
        del _inflight[flight]
    if task.cancelled() or task.exception() is not None:
        return  # retrieved here: a failure reaches the readers, not the loop's log
    result = task.result()
    if result.answered:
        cache.remember(flight[1], flight[2], result)


def read_key(system: str, operation: str, args: tuple[str, ...]) -> str:
    return f"{system}.{operation}:{'|'.join(args)}"[:200]


def _from_row(row: CachedRead, operation: str) -> Result:
    meta = {"cached": True, "fetched_at": row.fetched_at}
    if row.found:
        return Result(row.system, operation, True, data=row.data, meta=meta)
    error = CallError(NOT_FOUND, "no such record", False)
    return Result(row.system, operation, False, error=error, meta=meta)


def is_answer(result: Result) -> bool:
    """Data, or the system's own "no such record": both are answers worth keeping."""
    return result.answered


class Reads:
    def __init__(self, number: str, *, request_id: str = "", fresh: bool = False) -> None:
        self.number = number
        self.fresh = fresh
        self.recent = not fresh  # may take an answer that has just arrived (see `cache.just_read`)
        self.log = registry.CallLogBuffer(request_id=request_id)
        self._cached: asyncio.Future[dict[str, CachedRead]] | None = None
        # The systems whose kept answers were loaded (None: every system's).
        self._cached_systems: frozenset[str] | None = None
        self._tasks: dict[str, asyncio.Task[Result]] = {}
        self._answers: list[tuple[str, Result]] = []

    def get(self, system: str, operation: str, *args: str) -> "asyncio.Task[Result]":
        key = read_key(system, operation, args)
        task = self._tasks.get(key)
        if task is None:
            task = self._tasks[key] = asyncio.ensure_future(
                self._read(key, system, operation, args)
            )
        return task

    def preload(self, rows: dict[str, CachedRead], systems: frozenset[str] | None) -> None:
        """Take the kept answers a view loaded with the rest of its request's reads (one trip to
        the database): every system's, or only those of `systems`."""
        if self.fresh or self._cached is not None:
            return
        loaded: asyncio.Future[dict[str, CachedRead]] = asyncio.get_running_loop().create_future()
        loaded.set_result(rows)
        self._cached, self._cached_systems = loaded, systems

    async def _cache(self, system: str = "") -> dict[str, CachedRead]:
        if self._cached_systems is not None and system not in self._cached_systems:
            # A read beyond what was loaded: load the number's other answers, once.
            self._cached_systems = None
            self._cached = asyncio.ensure_future(sync_to_async(cache.load)(self.number))
        if self._cached is None:
            if self.fresh:
                self._cached = asyncio.ensure_future(_empty())
            else:
                self._cached = asyncio.ensure_future(sync_to_async(cache.load)(self.number))
        return await self._cached

    async def _read(self, key: str, system: str, operation: str, args: tuple[str, ...]) -> Result:
        row = (await self._cache(system)).get(key)
        if row is not None:
            return _from_row(row, operation)
        if self.recent and (answer := cache.just_read(self.number, key)) is not None:
            return answer
        flight = (id(asyncio.get_running_loop()), self.number, key)
        shared = _inflight.get(flight)
        mine = shared is None
        if shared is None:
            # The call runs in a task of its own, so a reader that goes away (the browser
            # dropped its request) does not cancel the call the other panels are waiting for.
            shared = asyncio.ensure_future(self._call(system, operation, args))
            _inflight[flight] = shared
            shared.add_done_callback(lambda task: _settled(flight, task))
        result = await asyncio.shield(shared)
        if mine and is_answer(result):
            self._answers.append((key, result))
        return result

    async def _call(self, system: str, operation: str, args: tuple[str, ...]) -> Result:
        result = await registry.call(
            system, operation, *args, customer_key=self.number, log=self.log
        )
        return Result(
            result.system,
            result.operation,
            result.ok,
            data=result.data,
            error=result.error,
            latency_ms=result.latency_ms,
            meta={"cached": False, "fetched_at": clock.now()},
        )

    def take_answers(self) -> list[tuple[str, Result]]:
        """The answers read from back ends since the last save, handed over for storing."""
        answers, self._answers = self._answers, []
        return answers

    async def save(self) -> None:
        """Keep the new answers for the rest of the call and write the call log, in one go: the
        async view's own short transaction (async views hold no request transaction)."""
        answers = self.take_answers()
        if answers or self.log.rows:
            await sync_to_async(keep)(self.number, answers, self.log)

    def refresh(self) -> None:
        """From now on ask the back ends, not the call cache, and drop what was read so far: the
        answers read after this replace the kept ones when they are stored."""
        self._tasks.clear()
        self._answers.clear()
        self.recent = False
        self._cached = asyncio.ensure_future(_empty())
        self._cached_systems = None


def keep(number: str, answers: list[tuple[str, Result]], log: registry.CallLogBuffer) -> None:
    """Store answers in the call cache and write the call log, in one short transaction of its
    own (for async views, which hold no request transaction)."""
    with transaction.atomic():
        cache.store(number, answers)
        log.write()


async def _empty() -> dict[str, Any]:
    return {}
