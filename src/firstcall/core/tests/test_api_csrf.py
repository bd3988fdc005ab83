"""Session-authenticated API writes need the CSRF token; bearer-token calls do not."""

import pytest
from django.test import Client

from firstcall.accounts import services as accounts
from firstcall.accounts.models import User
from firstcall.core.audit import ChangeContext
from firstcall.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _browser(username: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username=username))
    return client


def _body(code: str) -> str:
    import json

    parent = OrgUnit.objects.get(code="JS")
    return json.dumps({"name": "跨站", "code": code, "level": "department", "parent_id": parent.pk})


def test_a_cookie_write_without_the_csrf_token_is_refused_and_creates_nothing():
    client = _browser("hq-admin")
    response = client.post(
        "/api/orgs/units",
        _body("JS-CSRF"),
        content_type="text/plain",
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"].endswith("csrf_failed")
    assert not OrgUnit.objects.filter(code="JS-CSRF").exists()


def test_a_cookie_write_with_a_wrong_token_or_a_foreign_origin_is_refused():
    client = _browser("hq-admin")
    client.get("/orgs/")  # the page sets the CSRF cookie, as a browser would receive it
    token = client.cookies["firstcall_csrftoken"].value
    wrong = client.post(
        "/api/orgs/units",
        _body("JS-CSRF"),
        content_type="application/json",
        headers={"X-CSRFToken": "x" * 32},
    )
    assert wrong.status_code == 403
    foreign = client.post(
        "/api/orgs/units",
        _body("JS-CSRF"),
        content_type="application/json",
        headers={"X-CSRFToken": token, "Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403
    patch = client.patch(
        f"/api/orgs/units/{OrgUnit.objects.get(code='JS-NJ').pk}",
        {"name": "改名"},
        content_type="application/json",
    )
    assert patch.status_code == 403
    assert not OrgUnit.objects.filter(code="JS-CSRF").exists()
    assert OrgUnit.objects.get(code="JS-NJ").name != "改名"


def test_a_cookie_write_with_the_token_from_its_own_page_is_served():
    client = _browser("hq-admin")
    client.get("/orgs/")
    token = client.cookies["firstcall_csrftoken"].value
    response = client.post(
        "/api/orgs/units",
        _body("JS-CSRF-OK"),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.content
    assert OrgUnit.objects.filter(code="JS-CSRF-OK").exists()


def test_cookie_reads_need_no_token():
    assert _browser("hq-admin").get("/api/orgs/units?limit=1").status_code == 200


def test_a_bearer_token_writes_without_a_csrf_token():
    _, secret = accounts.issue_token(
        ChangeContext.for_cli("test"),
        unit=OrgUnit.objects.get(code="HQ"),
        name="csrf-test",
        permissions=["orgs.view_orgunit", "orgs.add_orgunit"],
    )
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/orgs/units",
        _body("JS-BEARER"),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}", "Origin": "https://elsewhere.example"},
    )
    assert response.status_code == 201, response.content
    assert OrgUnit.objects.filter(code="JS-BEARER").exists()


def test_no_session_and_no_token_is_401():
    response = Client(enforce_csrf_checks=True).post(
        "/api/orgs/units", _body("JS-ANON"), content_type="application/json"
    )
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
