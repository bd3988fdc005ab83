"""Endpoints about the server itself (/ and /openapi.json) and the OpenAPI document cache."""

import asyncio
import threading
from typing import Any, ClassVar

from aiohttp import web

from firstcall.sandbox.config import SandboxConfig
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Endpoint, Reply
from firstcall.sandbox.openapi import build_openapi
from firstcall.sandbox.serving import respond
from firstcall.sandbox.systems.all import SYSTEM_MODULES


def meta_fail(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"error": code, "message": message})


def _index(sb: Sandbox, call: Call) -> Reply:
    del call
    return Reply(
        200,
        {
            "name": "FirstCall operator back-end sandbox",
            "customers": sb.config.customers,
            "seed": sb.seed,
            "openapi": "/openapi.json",
            "systems": {
                m.SYSTEM.name: {"title": m.SYSTEM.title, "prefix": f"/{m.SYSTEM.name}/"}
                for m in SYSTEM_MODULES
            },
            "admin": "/_admin/",
        },
    )


META = [
    Endpoint(
        "_meta",
        "GET",
        "/",
        _index,
        "What this server is: systems, prefixes, links",
        meta_fail,
        lambda sb, c: Call(),
        tag="sandbox-meta",
    ),
    Endpoint(
        "_meta",
        "GET",
        "/openapi.json",
        lambda sb, call: Reply(200, {}),
        "This OpenAPI document",
        meta_fail,
        lambda sb, c: None,
        tag="sandbox-meta",
    ),
]


def tags() -> dict[str, str]:
    described = {m.SYSTEM.name: (m.__doc__ or "").strip() for m in SYSTEM_MODULES}
    return described | {
        "sandbox-admin": "Sandbox-only: ground truth, forced conditions, latency, faults.",
        "sandbox-meta": "The server itself.",
    }


class OpenApiDocument:
    """Built once per data configuration and process, in a worker thread, because sampling
    every endpoint takes a moment (the examples depend on seed, size and epoch only)."""

    built: ClassVar[dict[tuple, dict[str, Any]]] = {}
    lock = threading.Lock()

    def __init__(self, config: SandboxConfig, endpoints: list[Endpoint]) -> None:
        self.config, self.endpoints = config, endpoints
        self.key = (
            config.seed,
            config.customers,
            config.epoch,
            tuple(sorted(config.rates.items())),
            config.repair_reject_share,
        )

    def get(self) -> dict[str, Any]:
        with self.lock:
            if self.key not in self.built:
                self.built[self.key] = build_openapi(self.config, self.endpoints, tags())
            return self.built[self.key]

    async def handler(self, request: web.Request) -> web.Response:
        del request
        document = await asyncio.get_running_loop().run_in_executor(None, self.get)
        return respond(Reply(200, document))
