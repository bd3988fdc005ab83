"""The standard result of a back-end call: ok with data, or an error saying whether to retry."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CallError:
    code: str  # timeout, unavailable, http_5xx, http_4xx, malformed, rejected, not_found, refused
    message: str
    retryable: bool


@dataclass(frozen=True)
class Result:
    system: str
    operation: str
    ok: bool
    data: Any = None
    error: CallError | None = None
    latency_ms: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def success(cls, system: str, operation: str, data: Any, latency_ms: float) -> "Result":
        return cls(system=system, operation=operation, ok=True, data=data, latency_ms=latency_ms)

    @classmethod
    def failure(
        cls, system: str, operation: str, error: CallError, latency_ms: float = 0.0
    ) -> "Result":
        return cls(system=system, operation=operation, ok=False, error=error, latency_ms=latency_ms)

    @property
    def outcome(self) -> str:
        if self.ok:
            return "ok"
        assert self.error is not None
        if self.error.code == "timeout":
            return "timeout"
        if self.error.code == "rejected":
            return "rejected"
        return "error"
