"""What every connector shares: one HTTP call with a timeout, retries for idempotent reads, and
the translation of every failure into the standard envelope.

Connectors import nothing from FirstCall's domain apps: they know only their back end's contract.
"""

import json
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar

import aiohttp

from firstcall.integrations.envelope import CallError, Result


@dataclass(frozen=True)
class SystemConfig:
    name: str
    kind: str
    base_url: str
    credentials: dict[str, Any] = field(default_factory=dict)
    timeout_ms: int = 800
    retries: int = 1
    failure_threshold: int = 5
    open_seconds: int = 15


class MalformedResponse(Exception):
    """The back end answered, but not with what its contract promises."""


class NotFoundError(Exception):
    """The back end has no record for the key (a normal answer, not a fault)."""


class CommandRefused(Exception):
    """The back end understood a command and refused it, or its network element failed it, and
    nothing was changed (HTTP 409, or a failure code in a 200 answer). Repeating the same command
    does not help until something else changes."""


class Connector:
    """Base of one connector per system kind. Subclasses add typed operations that call
    `self.fetch()` or `self.command()` and parse the body into plain dicts."""

    kind: ClassVar[str] = ""
    # The keys of the system's own error body (code first, then message). A 404 whose body has
    # them is the system saying "no such record"; any other 404 (a wrong base URL, a proxy) is a
    # fault. Empty: every 404 counts as "no such record".
    error_keys: ClassVar[tuple[str, ...]] = ()

    def __init__(self, config: SystemConfig, session: aiohttp.ClientSession) -> None:
        self.config = config
        self.session = session

    async def health(self) -> Any:
        return await self.fetch("health", "/health")

    def headers(self) -> dict[str, str]:
        key = self.config.credentials.get("api_key")
        return {"X-Api-Key": str(key)} if key else {}

    async def fetch(self, operation: str, path: str, **params: Any) -> Any:
        """GET with retries on retryable failures while the timeout budget lasts."""
        return await self._send(operation, "GET", path, params=params, retries=self.config.retries)

    async def query(self, operation: str, path: str, body: dict[str, Any]) -> Any:
        """POST that changes nothing (a check, a test): retried like a read."""
        return await self._send(
            operation, "POST", path, json_body=body, retries=self.config.retries
        )

    async def command(
        self, operation: str, path: str, body: dict[str, Any], idempotency_key: str
    ) -> Any:
        """POST a state-changing command once; the key makes a repeat harmless on the back end.
        A 409 answer raises `CommandRefused`."""
        headers = {"Idempotency-Key": idempotency_key}
        return await self._send(operation, "POST", path, json_body=body, headers=headers, retries=0)

    def describe_error(self, raw: bytes) -> str:
        """The system's own error code and message from an error body, else the raw text."""
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if isinstance(body, dict):
            parts = [str(body[key]) for key in self.error_keys if body.get(key) not in (None, "")]
            if parts:
                return ": ".join(parts)[:300]
        return raw[:200].decode(errors="replace")

    def _is_contract_error(self, raw: bytes) -> bool:
        if not self.error_keys:
            return True
        try:
            body = json.loads(raw)
        except ValueError:
            return False
        return isinstance(body, dict) and all(key in body for key in self.error_keys)

    async def _send(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        retries: int = 0,
    ) -> Any:
        url = self.config.base_url.rstrip("/") + path
        deadline = time.monotonic() + self.config.timeout_ms / 1000
        attempt = 0
        while True:
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise TimeoutError
                timeout = aiohttp.ClientTimeout(total=remaining)
                async with self.session.request(
                    method,
                    url,
                    params={k: v for k, v in (params or {}).items() if v is not None},
                    json=json_body,
                    headers={**self.headers(), **(headers or {})},
                    timeout=timeout,
                ) as response:
                    raw = await response.read()
                    status = response.status
            except TimeoutError as exc:
                error = CallError("timeout", f"no answer within {self.config.timeout_ms} ms", True)
                raise CallFailed(error) from exc
            except aiohttp.ClientError as exc:
                error = CallError("unavailable", f"{type(exc).__name__}: {exc}"[:300], True)
                if attempt < retries:
                    attempt += 1
                    continue
                raise CallFailed(error) from exc
            if status >= 500:
                if attempt < retries and deadline - time.monotonic() > 0:
                    attempt += 1
                    continue
                raise CallFailed(CallError("http_5xx", f"HTTP {status}", True))
            if status == 404 and self._is_contract_error(raw):
                raise NotFoundError(self.describe_error(raw) if self.error_keys else path)
            if status == 409 and method == "POST":
                raise CommandRefused(self.describe_error(raw))
            if status >= 400:
                detail = self.describe_error(raw)
                raise CallFailed(CallError("http_4xx", f"HTTP {status}: {detail}", False))
            try:
                return json.loads(raw)
            except ValueError as exc:
                raise MalformedResponse("the body is not JSON") from exc


class CallFailed(Exception):
    def __init__(self, error: CallError) -> None:
        super().__init__(error.message)
        self.error = error


def failure_of(system: str, operation: str, exc: Exception, latency_ms: float) -> Result:
    """The envelope for an exception raised while calling or parsing."""
    if isinstance(exc, CallFailed):
        return Result.failure(system, operation, exc.error, latency_ms)
    if isinstance(exc, NotFoundError):
        error = CallError("not_found", f"no such record: {exc}"[:300], False)
        return Result.failure(system, operation, error, latency_ms)
    if isinstance(exc, CommandRefused):
        error = CallError("refused", f"refused: {exc}"[:300], False)
        return Result.failure(system, operation, error, latency_ms)
    if isinstance(exc, MalformedResponse | KeyError | TypeError | ValueError):
        error = CallError("malformed", f"unexpected answer: {exc}"[:300], False)
        return Result.failure(system, operation, error, latency_ms)
    raise exc
