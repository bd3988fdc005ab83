"""A circuit breaker per back-end system.

Closed: calls pass; `failure_threshold` consecutive failures open it. Open: calls are refused at
once for `open_seconds`. Half-open: one probe call passes; success closes, failure re-opens.
The state lives in the process: each server process protects itself, and nothing another process
needs is kept here.
"""

import time
from dataclasses import dataclass


@dataclass
class CircuitBreaker:
    failure_threshold: int = 5
    open_seconds: float = 15.0
    failures: int = 0
    opened_at: float | None = None
    probing: bool = False

    def state(self, now: float | None = None) -> str:
        if self.opened_at is None:
            return "closed"
        now = time.monotonic() if now is None else now
        return "half_open" if now - self.opened_at >= self.open_seconds else "open"

    def allow(self, now: float | None = None) -> bool:
        state = self.state(now)
        if state == "closed":
            return True
        if state == "half_open" and not self.probing:
            self.probing = True
            return True
        return False

    def release_probe(self) -> None:
        """The probe ended without an outcome (cancelled): let the next call probe instead."""
        self.probing = False

    def record_success(self) -> None:
        self.failures, self.opened_at, self.probing = 0, None, False

    def record_failure(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self.failures += 1
        if self.probing or self.failures >= self.failure_threshold:
            self.opened_at, self.probing = now, False
