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
    case.call_and_validate(headers=bearer, checks=CHECKS)


def test_the_served_description_is_the_one_tested(client):
    assert client.get("/api/openapi.json").json() == DESCRIPTION


def test_every_operation_documents_its_problems_as_problem_json():
    for path, operations in DESCRIPTION["paths"].items():
        for method, operation in operations.items():
            statuses = {int(code) for code in operation["responses"]}
            expected = {400, 401, 403, 422} | ({404} if "{" in path or method != "get" else set())
            assert expected <= statuses, (method, path)
            for code, response in operation["responses"].items():
                if int(code) >= 400:
                    assert list(response["content"]) == ["application/problem+json"]
