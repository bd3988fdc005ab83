"""Sandbox-only endpoints under /_admin (tag sandbox-admin): ground truth, forcing conditions,
samples, latency and faults, reset. Never part of an operator contract; no latency or faults."""

from typing import Any

from firstcall.sandbox.admin_customers import (
    MAX_SAMPLES,
    fail,
    force_conditions,
    read_truth,
    samples,
    unforce_conditions,
)
from firstcall.sandbox.admin_settings import (
    list_commands,
    list_conditions,
    list_systems,
    reset_all,
    setting,
)
from firstcall.sandbox.conditions import BY_NAME, HEALTHY
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import BOOLEAN, INTEGER, NUMBER, Call, Endpoint, Param, body_schema
from firstcall.sandbox.faults import FAULT_KINDS
from firstcall.sandbox.model import Customer


def _number(sb: Sandbox, c: Customer) -> Call | None:
    del sb
    return Call(params={"number": c.service_number})


def _system(body: dict | None = None):
    return lambda sb, c: Call(params={"system": "hlr"}, body=body)


def _admin(
    method: str,
    path: str,
    summary: str,
    handler: Any,
    sample: Any,
    *,
    query: tuple[Param, ...] = (),
    description: str = "",
    body: dict[str, Any] | None = None,
) -> Endpoint:
    return Endpoint(
        "_admin",
        method,
        "/_admin" + path,
        handler,
        summary,
        fail,
        sample,
        description,
        query,
        tag="sandbox-admin",
        body=body,
    )


ENDPOINTS = [
    _admin(
        "GET",
        "/customers/{number}",
        "Ground truth of a customer: conditions, expected-vs-"
        "actual facts, NEs, the broadband password",
        read_truth,
        _number,
    ),
    _admin(
        "PUT",
        "/customers/{number}/conditions",
        "Force the customer's conditions (replaces the generated ones; [] makes it healthy)",
        force_conditions,
        lambda sb, c: Call(params={"number": c.service_number}, body={"conditions": []}),
        description='Body {"conditions": [...]}; 422 if a condition needs products the '
        "customer lacks. Clears earlier repairs of the customer.",
        body=body_schema(
            "conditions",
            conditions={"type": "array", "items": {"type": "string", "enum": sorted(BY_NAME)}},
        ),
    ),
    _admin(
        "DELETE",
        "/customers/{number}/conditions",
        "Back to the generated conditions",
        unforce_conditions,
        _number,
    ),
    _admin(
        "GET",
        "/samples",
        "Customers that have a condition now (or are healthy)",
        samples,
        lambda sb, c: Call(query={"condition": HEALTHY, "limit": "2"}),
        query=(
            Param("condition", f"condition name or '{HEALTHY}' (default)"),
            Param("limit", f"1..{MAX_SAMPLES}, default 10"),
            Param("start", "first customer index to scan from, default 0"),
        ),
    ),
    _admin(
        "GET",
        "/conditions",
        "Every condition with its rate, flow branches and fixes",
        list_conditions,
        lambda sb, c: Call(),
    ),
    _admin(
        "GET",
        "/systems",
        "Latency and fault settings of every system",
        list_systems,
        lambda sb, c: Call(),
    ),
    _admin(
        "GET",
        "/systems/{system}/latency",
        "A system's latency distribution",
        setting("latency"),
        _system(),
    ),
    _admin(
        "PUT",
        "/systems/{system}/latency",
        "Change a system's latency (lognormal by p50/p99; fields optional)",
        setting("latency"),
        _system({"p50_ms": 30.0, "p99_ms": 200.0}),
        body=body_schema(
            enabled=BOOLEAN,
            p50_ms=NUMBER,
            p99_ms=NUMBER,
            command_p50_ms=NUMBER,
            command_p99_ms=NUMBER,
        ),
    ),
    _admin("GET", "/systems/{system}/fault", "A system's fault", setting("fault"), _system()),
    _admin(
        "PUT",
        "/systems/{system}/fault",
        "Inject a fault: timeout, error, malformed, slow, down (or none)",
        setting("fault"),
        _system({"kind": "none"}),
        description="Body fields: kind, rate (0..1), status (5xx for error), delay_ms (slow), "
        "hang_s (timeout).",
        body=body_schema(
            kind={"type": "string", "enum": list(FAULT_KINDS)},
            rate=NUMBER,
            status=INTEGER,
            delay_ms=INTEGER,
            hang_s=NUMBER,
        ),
    ),
    _admin(
        "POST",
        "/reset",
        "Forget every mutation, forced condition, idempotency key and runtime setting",
        reset_all,
        lambda sb, c: Call(),
    ),
    _admin(
        "GET",
        "/commands",
        "Recent commands and the count of state changes",
        list_commands,
        lambda sb, c: Call(),
    ),
]
