"""Property-based check of the JSON API against its own OpenAPI description: schemathesis
generates valid and invalid calls for every operation (with a valid bearer token), sends them to
the app in-process (WSGI), and every answer must be a non-5xx that the description documents:
status, media type and body schema (problem+json for the errors)."""

import json
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from firstcall.accounts import services as accounts
from firstcall.accounts.models import User
from firstcall.api import api
from firstcall.core.audit import ChangeContext
from firstcall.orgs.models import OrgUnit

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
TOKEN_PERMISSIONS = [
    "orgs.view_orgunit",
    "orgs.add_orgunit",
    "orgs.change_orgunit",
    "accounts.view_user",
]


# The description the app serves at /api/openapi.json (read here without a request: collecting
# the tests may not touch the database, and a request would), with the app to call in-process.
DESCRIPTION = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/")))
schema = schemathesis.openapi.from_dict(DESCRIPTION)
schema.app = get_wsgi_application()
schema.location = "/api/openapi.json"


@pytest.fixture(autouse=True)
def keep_the_test_connection(db: None) -> Iterator[None]:
    """As Django's test client does: a request's start and end must not close the connection
    that holds the test's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture
def bearer(db: None) -> dict[str, str]:
    """A headquarters token holding every permission the API asks for, so the generated calls
    reach the operations rather than stopping at 403."""
    _, secret = accounts.issue_token(
        ChangeContext.for_cli("test"),
        name="schemathesis",
        unit=OrgUnit.objects.get(code="HQ"),
        permissions=TOKEN_PERMISSIONS,
    )
    return {"Authorization": f"Bearer {secret}"}


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_api_answer_is_documented_and_none_is_a_server_error(
    case: schemathesis.Case, bearer: dict[str, str]
) -> None:
    _aim_at_real_objects(case)
    case.call_and_validate(headers=bearer, checks=CHECKS)


def _aim_at_real_objects(case: schemathesis.Case) -> None:
    """Random ids almost never exist: for every other generated id, use one that does, so the
    calls also reach past the 404 (creating, renaming, a code already taken)."""
    real = {
        "unit_id": OrgUnit.objects.get(code="JS-NJ").pk,
        "user_id": User.objects.get(username="js-nj-agent").pk,
        "parent_id": OrgUnit.objects.get(code="JS").pk,
    }
    for name, value in (case.path_parameters or {}).items():
        if name in real and isinstance(value, int) and value % 2 == 0:
            case.path_parameters[name] = real[name]
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("parent_id"), int) and body["parent_id"] % 2:
        body["parent_id"] = real["parent_id"]


def test_the_served_description_is_the_one_tested(client):
    assert client.get("/api/openapi.json").json() == DESCRIPTION


# What each operation may answer besides its success (see core/problem.py).
EXPECTED_ERRORS = {
    ("get", "/api/accounts/me"): {400, 401},
    ("get", "/api/accounts/users"): {400, 401, 403, 422},
    ("get", "/api/accounts/users/{user_id}"): {400, 401, 403, 404, 422},
    ("get", "/api/orgs/units"): {400, 401, 403, 422},
    ("get", "/api/orgs/units/{unit_id}"): {400, 401, 403, 404, 422},
    ("post", "/api/orgs/units"): {400, 401, 403, 404, 409, 422},
    ("patch", "/api/orgs/units/{unit_id}"): {400, 401, 403, 404, 422},
}


def test_every_operation_documents_its_problems_as_problem_json():
    documented = {}
    for path, operations in DESCRIPTION["paths"].items():
        for method, operation in operations.items():
            codes = {int(code) for code in operation["responses"]}
            documented[(method, path)] = {code for code in codes if code >= 400}
            for code, response in operation["responses"].items():
                if int(code) >= 400:
                    assert list(response["content"]) == ["application/problem+json"]
                    schema = response["content"]["application/problem+json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Problem"}
    # A new operation must say which errors it returns (and be added here).
    assert documented == EXPECTED_ERRORS
