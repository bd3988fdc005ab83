"""Per-system latency (a lognormal distribution given by its p50 and p99) and injected faults,
both changeable at run time through /_admin.

Fault kinds: `timeout` (the request hangs for hang_s, then 504), `error` (5xx in the system's own
error shape), `malformed` (200 with a truncated JSON body), `slow` (delay_ms added to the
latency), `down` (the connection is dropped without an answer). `rate` is the share of requests
hit. Faults and latency apply to every route of the system, /health included, never to
/_admin or /openapi.json. A faulted command is not executed (except `slow`).
"""

import asyncio
import math
import random
from dataclasses import asdict, dataclass, fields
from typing import Any

from firstcall.sandbox.config import DEFAULT_LATENCY, SYSTEMS

FAULT_KINDS = ("none", "timeout", "error", "malformed", "slow", "down")
Z99 = 2.3263478740408408  # standard normal quantile at 0.99


@dataclass
class Latency:
    enabled: bool
    p50_ms: float
    p99_ms: float
    command_p50_ms: float
    command_p99_ms: float

    def draw(self, rng: random.Random, *, command: bool) -> float:
        """Seconds to wait: lognormal with the configured median and 99th percentile."""
        if not self.enabled:
            return 0.0
        p50, p99 = (
            (self.command_p50_ms, self.command_p99_ms) if command else (self.p50_ms, self.p99_ms)
        )
        if p50 <= 0:
            return 0.0
        sigma = math.log(max(p99, p50) / p50) / Z99
        return p50 * math.exp(sigma * rng.gauss(0.0, 1.0)) / 1000.0


@dataclass
class Fault:
    kind: str = "none"
    rate: float = 1.0
    status: int = 503
    delay_ms: int = 3000
    hang_s: float = 30.0


def _validated(cls: type, current: Any, changes: dict[str, Any]) -> Any:
    """A copy of `current` with `changes`, type-checked by the field annotations."""
    types = {f.name: f.type for f in fields(cls)}
    unknown = set(changes) - set(types)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    merged = asdict(current) | changes
    for name, value in merged.items():
        wanted = types[name]
        if wanted is float and isinstance(value, int | float) and not isinstance(value, bool):
            merged[name] = float(value)
        elif wanted is int and isinstance(value, bool):
            raise ValueError(f"{name} must be an integer")
        elif not isinstance(value, wanted):  # type: ignore[arg-type]
            raise ValueError(f"{name} must be {getattr(wanted, '__name__', wanted)}")
    return cls(**merged)


def updated_latency(current: Latency, changes: dict[str, Any]) -> Latency:
    latency = _validated(Latency, current, changes)
    for name in ("p50_ms", "p99_ms", "command_p50_ms", "command_p99_ms"):
        if getattr(latency, name) < 0:
            raise ValueError(f"{name} must not be negative")
    if latency.p99_ms < latency.p50_ms or latency.command_p99_ms < latency.command_p50_ms:
        raise ValueError("p99 must not be below p50")
    return latency


def updated_fault(current: Fault, changes: dict[str, Any]) -> Fault:
    fault = _validated(Fault, current, changes)
    if fault.kind not in FAULT_KINDS:
        raise ValueError(f"kind must be one of {', '.join(FAULT_KINDS)}")
    if not 0.0 <= fault.rate <= 1.0:
        raise ValueError("rate must be between 0 and 1")
    if not 500 <= fault.status <= 599:
        raise ValueError("status must be a 5xx code")
    if fault.delay_ms < 0 or fault.hang_s < 0:
        raise ValueError("delay_ms and hang_s must not be negative")
    return fault


class Runtime:
    """The live latency and fault settings of every system."""

    def __init__(self, *, latency: bool) -> None:
        self.initial_latency = latency
        self.rng = random.Random()  # noqa: S311 - jitter, not security; data is seeded elsewhere
        self.reset()

    def reset(self) -> None:
        self.latency = {
            name: Latency(self.initial_latency, *map(float, DEFAULT_LATENCY[name]))
            for name in SYSTEMS
        }
        self.faults = {name: Fault() for name in SYSTEMS}

    def hit(self, system: str) -> Fault | None:
        fault = self.faults[system]
        if fault.kind == "none" or self.rng.random() >= fault.rate:
            return None
        return fault

    async def wait(self, system: str, *, command: bool) -> None:
        delay = self.latency[system].draw(self.rng, command=command)
        if delay > 0:
            await asyncio.sleep(delay)
