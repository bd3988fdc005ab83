"""/openapi.json describes every route of the app, with schemas that the live answers follow."""

from typing import Any

import pytest
import pytest_asyncio

from firstcall.sandbox.tests.conftest import force, healthy_customer
from firstcall.sandbox.tests.views import Views


def conforms(value: Any, schema: dict, path: str = "$") -> list[str]:
    """The subset of JSON Schema the document uses: type (or list), properties, required, items."""
    types = schema.get("type")
    if types is None:
        return []
    allowed = types if isinstance(types, list) else [types]
    kind = {
        dict: "object",
        list: "array",
        str: "string",
        bool: "boolean",
        type(None): "null",
        int: "integer",
        float: "number",
    }[type(value)]
    if kind not in allowed and not (kind == "integer" and "number" in allowed):
        return [f"{path}: {kind} not in {allowed}"]
    problems = []
    if isinstance(value, dict):
        props = schema.get("properties", {})
        problems += [f"{path}.{k}: missing" for k in schema.get("required", []) if k not in value]
        problems += [f"{path}.{k}: undocumented" for k in value if k not in props]
        for k, v in value.items():
            if k in props:
                problems += conforms(v, props[k], f"{path}.{k}")
    if isinstance(value, list) and "items" in schema:
        for n, item in enumerate(value):
            problems += conforms(item, schema["items"], f"{path}[{n}]")
    return problems


@pytest_asyncio.fixture
async def document(client) -> dict:
    response = await client.get("/openapi.json")
    assert response.status == 200
    return await response.json()


@pytest.mark.asyncio
async def test_every_route_is_documented_and_every_documented_path_is_a_route(app, document):
    routes = {
        (r.resource.canonical, r.method.lower()) for r in app.router.routes() if r.method != "HEAD"
    }
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert routes == documented


@pytest.mark.asyncio
async def test_every_operation_has_an_example_and_schema(document):
    assert document["openapi"].startswith("3.")
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            assert op["summary"] and op["operationId"] and op["tags"], (method, path)
            if path == "/openapi.json":
                continue
            ok = op["responses"].get("200")
            assert ok, (method, path)
            media = ok["content"]["application/json"]
            assert media["schema"] and "example" in media
            assert conforms(media["example"], media["schema"]) == []


@pytest.mark.asyncio
async def test_admin_endpoints_are_tagged_sandbox_admin(document):
    for path, ops in document["paths"].items():
        if path.startswith("/_admin"):
            assert all(op["tags"] == ["sandbox-admin"] for op in ops.values())


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "condition",
    [
        "healthy",
        "arrears_stop",
        "aaa_stale_session",
        "iptv_stb_mismatch",
        "sms_blocked",
        "order_stuck",
        "points_fail_system",
        "weak_optical_power",
    ],
)
async def test_live_answers_follow_the_documented_schemas(client, sandbox, document, condition):
    c = healthy_customer(sandbox, condition if condition != "healthy" else "arrears_stop")
    if condition != "healthy":
        await force(client, c.service_number, condition)
    views = Views(client, c)
    for name, path in views.paths().items():
        status, body = await views.fetch(name)
        template = next((p for p in document["paths"] if _matches(p, path.split("?")[0])), None)
        assert template, path
        responses = document["paths"][template]["get"]["responses"]
        if str(status) not in responses:
            continue  # e.g. a 404 for a product this customer lacks, documented elsewhere
        schema = responses[str(status)]["content"]["application/json"]["schema"]
        assert conforms(body, schema) == [], (name, status)


def _matches(template: str, path: str) -> bool:
    t, p = template.strip("/").split("/"), path.strip("/").split("/")
    return len(t) == len(p) and all(a == b or a.startswith("{") for a, b in zip(t, p, strict=True))
