"""The standard result of a back-end call: ok with data, or an error saying whether to retry."""

from dataclasses import dataclass, field
from typing import Any

NOT_FOUND = "not_found"  # the system answered: it has no such record
# The call was not made or not carried out: the breaker is open ("rejected"), the system is off
# ("disabled"), or the back end declined the request ("refused").
REFUSED = frozenset({"rejected", "disabled", "refused"})


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
    def missing(self) -> bool:
        """The system answered that it has no such record: an answer, not a failure."""
        return self.error is not None and self.error.code == NOT_FOUND

    @property
    def failed(self) -> bool:
        """No answer: an error other than the system's own "no such record"."""
        return not self.ok and not self.missing

    @property
    def refused(self) -> bool:
        """Not carried out: the breaker is open, the system is off, or the back end declined."""
        return self.error is not None and self.error.code in REFUSED

    @property
    def answered(self) -> bool:
        """Data, or the system's own "no such record": both are answers worth keeping."""
        return self.ok or self.missing

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
