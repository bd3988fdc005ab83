"""Endpoints as data: one declaration gives the aiohttp route, the OpenAPI entry and the samples
the OpenAPI examples and schemas are computed from, so the contract cannot drift from the code."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.model import Customer


@dataclass(frozen=True)
class Call:
    params: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    body: Any = None
    key: str | None = None  # Idempotency-Key


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)


Handler = Callable[[Sandbox, Call], Reply]
Failure = Callable[[int, str, str], Reply]
Sample = Callable[[Sandbox, Customer], Call | None]


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    required: bool = False


def body_schema(*required: str, **properties: dict[str, Any]) -> dict[str, Any]:
    """A request-body schema: `body_schema("amount", amount=NUMBER, channel=STRING)`."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = list(required)
    return schema


STRING: dict[str, Any] = {"type": "string"}
NUMBER: dict[str, Any] = {"type": "number"}
INTEGER: dict[str, Any] = {"type": "integer"}
BOOLEAN: dict[str, Any] = {"type": "boolean"}


@dataclass(frozen=True)
class Endpoint:
    system: str
    method: str
    path: str
    handler: Handler
    summary: str
    fail: Failure
    sample: Sample
    description: str = ""
    query: tuple[Param, ...] = ()
    command: bool = False
    tag: str = ""
    body: dict[str, Any] | None = None  # JSON Schema of the request body, when it takes one

    @property
    def operation_id(self) -> str:
        words = self.path.strip("/").replace("{", "").replace("}", "").replace("-", "_")
        return f"{self.method.lower()}_{words.replace('/', '_').replace('.', '_') or 'index'}"
