"""The unified interface platform: FirstCall's one way to call a back end.

`await call(system, operation, *args)` finds the system's configuration (data in the database,
re-read every few seconds so a change in the UI takes effect without a restart), refuses at once
while the system's breaker is open, runs the connector's operation over the system's own aiohttp
session and returns a `Result` envelope. Every call is added to a `CallLogBuffer` that the caller
flushes in one insert.
"""

import asyncio
import time
import weakref
from dataclasses import dataclass, field, replace
from typing import Any

import aiohttp
from asgiref.sync import sync_to_async

from firstcall.core import clock
from firstcall.core.bulk import insert_many
from firstcall.core.masking import mask_key
from firstcall.integrations.breaker import CircuitBreaker
from firstcall.integrations.connectors import CONNECTORS
from firstcall.integrations.connectors.base import Connector, SystemConfig, failure_of
from firstcall.integrations.envelope import CallError, Result
from firstcall.integrations.models import BackendSystem, CallLog

CONFIG_TTL_SECONDS = 5.0
# Failures that say the back end is unwell; a "no such record" or a refused request does not.
BREAKER_FAILURES = {"timeout", "unavailable", "http_5xx", "malformed"}

_configs: dict[str, SystemConfig] = {}
_configs_loaded_at = 0.0
_breakers: dict[str, CircuitBreaker] = {}
_sessions: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, aiohttp.ClientSession]]"
_sessions = weakref.WeakKeyDictionary()


def _load_configs() -> dict[str, SystemConfig]:
    return {
        s.name: SystemConfig(
            name=s.name,
            kind=s.kind,
            base_url=s.base_url,
            credentials=s.credentials,
            timeout_ms=s.timeout_ms,
            retries=s.retries,
            failure_threshold=s.failure_threshold,
            open_seconds=s.open_seconds,
        )
        for s in BackendSystem.objects.filter(enabled=True)
    }


_refreshing: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, tuple[int, asyncio.Task[None]]]"
_refreshing = weakref.WeakKeyDictionary()
_generation = 0  # bumped by forget_configs(): reads started before it do not count as fresh
_fresh_generation = -1


async def _refresh(generation: int) -> None:
    global _configs, _configs_loaded_at, _fresh_generation
    loaded = await sync_to_async(_load_configs)()
    _configs, _configs_loaded_at = loaded, time.monotonic()
    _fresh_generation = max(_fresh_generation, generation)


async def configs() -> dict[str, SystemConfig]:
    """The enabled systems' settings, re-read every few seconds without making calls wait: while
    one background read runs, calls keep the settings they have. A change made through FirstCall
    (`forget_configs`) is different: the next call waits for a read started after it."""
    loop = asyncio.get_running_loop()
    running = _refreshing.get(loop)
    current = _fresh_generation == _generation
    stale = time.monotonic() - _configs_loaded_at > CONFIG_TTL_SECONDS
    if running is None or running[1].done() or (not current and running[0] != _generation):
        if current and not stale:
            return _configs
        running = _refreshing[loop] = (_generation, asyncio.ensure_future(_refresh(_generation)))
    if not current:
        await asyncio.shield(running[1])
    return _configs


def forget_configs() -> None:
    """Make the next call wait for a fresh read of the registry (after a change, and in tests)."""
    global _generation
    _generation += 1


SLOW = "slow"


def operation_timeout_ms(config: SystemConfig, operation: str) -> int | None:
    """The timeout an operation has of its own (a line test runs for seconds, a lookup must not),
    when it is longer than the system's: declared by the connector, `operation_timeouts_ms`."""
    connector = CONNECTORS.get(config.kind, Connector)
    own = getattr(connector, "operation_timeouts_ms", {}).get(operation)
    return own if own is not None and own > config.timeout_ms else None


def breaker_for(config: SystemConfig, kind: str = "") -> CircuitBreaker:
    """The system's breaker; slow operations have one of their own (`kind` "slow"), so that a
    line test that runs long never refuses the system's fast reads."""
    key = f"{config.name}:{kind}" if kind else config.name
    breaker = _breakers.get(key)
    if breaker is None:
        breaker = _breakers[key] = CircuitBreaker(
            config.failure_threshold, float(config.open_seconds)
        )
    breaker.failure_threshold = config.failure_threshold
    breaker.open_seconds = float(config.open_seconds)
    return breaker


def breaker_states() -> dict[str, str]:
    return {name: breaker.state() for name, breaker in _breakers.items()}


def reset_breakers() -> None:
    _breakers.clear()


def session_for(config: SystemConfig) -> aiohttp.ClientSession:
    """One session (connection pool) per system and event loop."""
    loop = asyncio.get_running_loop()
    sessions = _sessions.setdefault(loop, {})
    session = sessions.get(config.name)
    if session is None or session.closed:
        connector = aiohttp.TCPConnector(limit=200, ttl_dns_cache=300)
        session = sessions[config.name] = aiohttp.ClientSession(connector=connector)
    return session


async def close_sessions() -> None:
    loop = asyncio.get_running_loop()
    for session in _sessions.pop(loop, {}).values():
        await session.close()


LOG_FIELDS = (
    "time",
    "system",
    "operation",
    "customer_key",
    "latency_ms",
    "outcome",
    "error_code",
    "error",
    "request_id",
)


@dataclass
class CallLogBuffer:
    """The calls of one request or job, written in one statement when it ends."""

    request_id: str = ""
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def add(self, result: Result, customer_key: str) -> None:
        error = result.error
        self.rows.append(
            (
                clock.now(),
                result.system,
                result.operation,
                mask_key(customer_key) if customer_key else "",
                round(result.latency_ms),
                result.outcome,
                error.code if error else "",
                error.message[:300] if error else "",
                self.request_id,
            )
        )

    def write(self) -> None:
        rows, self.rows = self.rows, []
        insert_many(CallLog, LOG_FIELDS, rows)

    async def flush(self) -> None:
        if self.rows:
            await sync_to_async(self.write)()


async def call(
    system: str,
    operation: str,
    *args: Any,
    customer_key: str = "",
    log: CallLogBuffer | None = None,
) -> Result:
    config = (await configs()).get(system)
    if config is None:
        result = Result.failure(
            system,
            operation,
            CallError("disabled", "the system is not configured or is off", False),
        )
    else:
        result = await _call(config, operation, args)
    if log is not None:
        log.add(result, customer_key)
    return result


async def _call(config: SystemConfig, operation: str, args: tuple[Any, ...]) -> Result:
    own_timeout = operation_timeout_ms(config, operation)
    if own_timeout is None:
        breaker = breaker_for(config)
    else:
        # A slow operation: its own timeout and breaker; refused too while the system's fast
        # breaker is open (the system is unwell), without taking its probe.
        fast_open = breaker_for(config).state() == "open"
        config = replace(config, timeout_ms=own_timeout)
        breaker = breaker_for(config, SLOW)
        if fast_open:
            error = CallError("rejected", "the breaker is open after repeated failures", True)
            return Result.failure(config.name, operation, error)
    if not breaker.allow():
        error = CallError("rejected", "the breaker is open after repeated failures", True)
        return Result.failure(config.name, operation, error)
    connector = CONNECTORS.get(config.kind, Connector)(config, session_for(config))
    started = time.monotonic()
    try:
        try:
            data = await getattr(connector, operation)(*args)
        except Exception as exc:
            result = failure_of(config.name, operation, exc, (time.monotonic() - started) * 1000)
        else:
            elapsed = (time.monotonic() - started) * 1000
            result = Result.success(config.name, operation, data, elapsed)
    except BaseException:
        # Cancelled, or a bug: no outcome to record, but a half-open probe must not stay taken.
        breaker.release_probe()
        raise
    if result.ok or (result.error and result.error.code not in BREAKER_FAILURES):
        breaker.record_success()
    else:
        breaker.record_failure()
    return result
