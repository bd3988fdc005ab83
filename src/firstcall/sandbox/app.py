"""The aiohttp application: every system's routes, /_admin, / and /openapi.json."""

from aiohttp import web

from firstcall.sandbox import admin
from firstcall.sandbox.config import SandboxConfig
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Endpoint
from firstcall.sandbox.meta import META, OpenApiDocument
from firstcall.sandbox.middleware import remote_behaviour
from firstcall.sandbox.serving import aiohttp_handler
from firstcall.sandbox.systems.all import SYSTEM_MODULES

SANDBOX = web.AppKey("sandbox", Sandbox)


def all_endpoints() -> list[Endpoint]:
    found = [e for m in SYSTEM_MODULES for e in m.ENDPOINTS]
    return found + list(admin.ENDPOINTS) + META


def make_app(config: SandboxConfig | None = None) -> web.Application:
    config = config or SandboxConfig()
    sb = Sandbox(config)
    endpoints = all_endpoints()
    failures = {m.SYSTEM.name: m.SYSTEM.fail for m in SYSTEM_MODULES}
    app = web.Application(middlewares=[remote_behaviour(sb, failures)])
    app[SANDBOX] = sb
    document = OpenApiDocument(config, endpoints)
    for endpoint in endpoints:
        handler = (
            document.handler if endpoint.path == "/openapi.json" else aiohttp_handler(sb, endpoint)
        )
        app.router.add_route(endpoint.method, endpoint.path, handler)
    return app
