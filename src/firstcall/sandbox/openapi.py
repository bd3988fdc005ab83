"""The OpenAPI 3.1 document of the sandbox, built from the endpoint declarations.

Examples and response schemas are not written by hand: a private scratch sandbox (same seed,
own state) answers every endpoint for a set of sample customers that covers every condition
(each forced on a customer it applies to), and the schemas are inferred from those answers.
"""

import dataclasses
import re
import sys
from collections import defaultdict
from typing import Any

from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Endpoint
from firstcall.sandbox.model import Customer
from firstcall.sandbox.openapi_samples import sample_calls, sample_customers
from firstcall.sandbox.schema import infer
from firstcall.sandbox.serving import run, to_json

PATH_PARAM = re.compile(r"{(\w+)}")
STATUS_TEXT = {
    200: "OK",
    400: "Bad request",
    404: "Not found",
    409: "Refused or failed on the platform",
    422: "Invalid",
    428: "Idempotency-Key required",
    504: "Timed out",
}
FAULTS = (
    "Injected fault (PUT /_admin/systems/{system}/fault): a 5xx or 504 in this system's "
    "error shape, a dropped connection, or a 200 with a truncated body."
)
IDEMPOTENCY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "Repeating a key replays the first answer (header Idempotent-Replayed: "
    "true) without acting twice; a key reused for another request is refused "
    "(422). Payments require one.",
}


def _operation(sb: Sandbox, endpoint: Endpoint, customers: list[Customer]) -> dict[str, Any]:
    calls = sample_calls(sb, endpoint, customers)
    replies: dict[int, list[Any]] = defaultdict(list)
    for call in calls:
        reply = run(sb, endpoint, call)
        replies[reply.status].append(to_json(reply.body))
    first = calls[0] if calls else Call()
    params: list[dict[str, Any]] = [
        {
            "name": n,
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
            "example": first.params.get(n),
        }
        for n in PATH_PARAM.findall(endpoint.path)
    ]
    params += [
        {
            "name": q.name,
            "in": "query",
            "required": q.required,
            "description": q.description,
            "schema": {"type": "string"},
            **({"example": first.query[q.name]} if q.name in first.query else {}),
        }
        for q in endpoint.query
    ]
    if endpoint.command:
        params.append(IDEMPOTENCY)
    op: dict[str, Any] = {
        "operationId": endpoint.operation_id,
        "summary": endpoint.summary,
        "tags": [endpoint.tag or endpoint.system],
        "parameters": params,
        "responses": {
            str(status): {
                "description": STATUS_TEXT.get(status, "Answer"),
                "content": {"application/json": {"schema": infer(bodies), "example": bodies[0]}},
            }
            for status, bodies in sorted(replies.items())
        }
        or {"200": {"description": "OK (this document)"}},
    }
    if endpoint.description:
        op["description"] = endpoint.description
    bodies = [call.body for call in calls if call.body is not None]
    if bodies or endpoint.body:
        schema = endpoint.body or infer(bodies)
        example = bodies[0] if bodies else {}
        op["requestBody"] = {
            "required": bool(schema.get("required")),
            "content": {"application/json": {"schema": schema, "example": example}},
        }
    if endpoint.system in sb.runtime.faults:
        op["responses"]["default"] = {"description": FAULTS}
    return op


def build_openapi(sb_config: Any, endpoints: list[Endpoint], tags: dict[str, str]) -> dict:
    scratch = Sandbox(dataclasses.replace(sb_config, latency=False))
    customers = sample_customers(scratch)
    paths: dict[str, dict[str, Any]] = defaultdict(dict)
    for endpoint in endpoints:
        paths[endpoint.path][endpoint.method.lower()] = _operation(scratch, endpoint, customers)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "FirstCall operator back-end sandbox",
            "version": "1.0",
            "description": (sys.modules[__package__].__doc__ or "").strip(),
        },
        "tags": [{"name": name, "description": text} for name, text in tags.items()],
        "paths": dict(paths),
    }
