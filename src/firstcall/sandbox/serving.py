"""Serving endpoints over aiohttp: JSON rendering, Idempotency-Key handling, the route handler."""

import hashlib
import json
from datetime import date, datetime
from typing import Any

from aiohttp import web

from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Endpoint, Reply
from firstcall.sandbox.store import StoredReply

JSON_TYPE = "application/json"


def to_json(value: Any) -> Any:
    """Render for the wire: datetimes in ISO 8601 with offset, dates as YYYY-MM-DD."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def dumps(value: Any) -> str:
    return json.dumps(to_json(value), ensure_ascii=False)


def fingerprint(endpoint: Endpoint, call: Call) -> str:
    raw = json.dumps(
        [endpoint.method, endpoint.path, dict(call.params), dict(call.query), call.body],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(raw.encode()).hexdigest()


def run(sb: Sandbox, endpoint: Endpoint, call: Call) -> Reply:
    """Call a handler; for commands, honour Idempotency-Key: the first reply is stored and
    replayed for the same key, and a key reused for another request is refused."""
    if not endpoint.command or not call.key:
        return endpoint.handler(sb, call)
    slot = (endpoint.system, call.key)
    mark = fingerprint(endpoint, call)
    stored = sb.store.replies.get(slot)
    if stored is not None:
        if stored.fingerprint != mark:
            return endpoint.fail(
                422,
                "IDEMPOTENCY_KEY_REUSED",
                "Idempotency-Key was already used for another request",
            )
        return Reply(stored.status, stored.body, {"Idempotent-Replayed": "true"})
    reply = endpoint.handler(sb, call)
    if reply.status < 500:
        sb.store.replies[slot] = StoredReply(mark, reply.status, to_json(reply.body))
    return reply


def aiohttp_handler(sb: Sandbox, endpoint: Endpoint):
    async def handle(request: web.Request) -> web.Response:
        body = None
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.can_read_body:
            text = await request.text()
            if text.strip():
                try:
                    body = json.loads(text)
                except ValueError:
                    return respond(endpoint.fail(400, "BAD_JSON", "request body is not JSON"))
        call = Call(
            params=dict(request.match_info),
            query=dict(request.query),
            body=body,
            key=request.headers.get("Idempotency-Key"),
        )
        return respond(run(sb, endpoint, call))

    return handle


def respond(reply: Reply) -> web.Response:
    return web.Response(
        text=dumps(reply.body),
        status=reply.status,
        content_type=JSON_TYPE,
        charset="utf-8",
        headers=dict(reply.headers),
    )
