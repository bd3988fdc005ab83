"""The aiohttp middleware that makes each system behave like a remote system: latency, faults."""

import asyncio
import json
from collections.abc import Awaitable, Callable

from aiohttp import web

from firstcall.sandbox.config import SYSTEMS
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Failure
from firstcall.sandbox.serving import respond

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def system_of(path: str) -> str | None:
    first = path.strip("/").split("/", 1)[0]
    return first if first in SYSTEMS else None


def remote_behaviour(sb: Sandbox, failures: dict[str, Failure]):
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        system = system_of(request.path)
        if system is None:
            return await handler(request)
        runtime = sb.runtime
        fault = runtime.hit(system)
        command = request.method != "GET"
        await runtime.wait(system, command=command)
        if fault is None:
            return await handler(request)
        if fault.kind == "down":
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=503)
        if fault.kind == "slow":
            await asyncio.sleep(fault.delay_ms / 1000)
            return await handler(request)
        if fault.kind == "timeout":
            await asyncio.sleep(fault.hang_s)
            return respond(failures[system](504, "GATEWAY_TIMEOUT", "upstream timed out"))
        if fault.kind == "error":
            reply = failures[system](fault.status, "INTERNAL_ERROR", "系统繁忙，请稍后再试")
            return respond(type(reply)(fault.status, reply.body))
        return await malformed(request, handler, command=command)

    return middleware


async def malformed(request: web.Request, handler: Handler, *, command: bool) -> web.Response:
    """A 200 whose JSON body is cut off half way (reads: the real body; commands: not run)."""
    text = '{"result": {"status": "ok", "data": ['
    if not command:
        response = await handler(request)
        if isinstance(response, web.Response) and response.text:
            text = response.text[: max(1, len(response.text) // 2)]
    try:
        json.loads(text)
        text = text + ',"'  # a short body may still parse; make sure it does not
    except ValueError:
        pass
    return web.Response(text=text, status=200, content_type="application/json")
