"""The org API on bad input: bounded pagination, codes taken (also by a racing request) answered
409 problem+json, and nothing half-written."""

import threading

import pytest
from django.db import connections
from django.test import Client

from firstcall.accounts.models import User
from firstcall.core.models import ObjectChange
from firstcall.orgs import services
from firstcall.orgs.models import OrgUnit

PROBLEM = "application/problem+json"


def _new_unit(parent: OrgUnit, code: str, name: str = "新部门") -> dict:
    return {"name": name, "code": code, "level": "department", "parent_id": parent.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "offset=-1",
        f"offset={2**63}",
        f"offset={2**64 + 5}",
        "limit=0",
        "limit=-5",
        "limit=1001",
        "offset=abc",
        "limit=1e3",
        "offset=²",
    ],
)
def test_pagination_out_of_range_is_a_422_problem(login_client, query):
    response = login_client("hq-admin").get(f"/api/orgs/units?{query}")
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM
    assert set(response.json()["errors"]) & {"limit", "offset"}


@pytest.mark.django_db
def test_pagination_at_its_bounds_is_served(login_client):
    client = login_client("hq-admin")
    far = client.get("/api/orgs/units?offset=1000000000&limit=1")
    assert far.status_code == 200 and far.json() == []
    assert len(client.get("/api/orgs/units?offset=0&limit=1").json()) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("unit_id", ["0", "-1", str(2**63), "²", "1.5"])
def test_an_impossible_unit_id_is_a_422_problem(login_client, unit_id):
    response = login_client("hq-admin").get(f"/api/orgs/units/{unit_id}")
    assert response.status_code in (404, 422)
    assert response["Content-Type"] == PROBLEM


@pytest.mark.django_db
def test_a_taken_code_is_a_409_problem_and_changes_nothing(login_client, unit):
    client = login_client("hq-admin")
    before = (OrgUnit.objects.count(), ObjectChange.objects.count())
    response = client.post(
        "/api/orgs/units", _new_unit(unit("JS"), "js-nj"), content_type="application/json"
    )
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"].endswith("org_unit_code_taken")
    assert "code" in response.json()["errors"]
    assert (OrgUnit.objects.count(), ObjectChange.objects.count()) == before


@pytest.mark.django_db
def test_a_code_taken_between_the_check_and_the_insert_is_a_409(login_client, unit, monkeypatch):
    # The racing request's row is already there when this one inserts: its check saw nothing.
    monkeypatch.setattr(services, "code_in_use", lambda code: False)
    client = login_client("hq-admin")
    before = (OrgUnit.objects.count(), ObjectChange.objects.count())
    response = client.post(
        "/api/orgs/units", _new_unit(unit("JS"), "JS-NJ"), content_type="application/json"
    )
    assert response.status_code == 409, response.content
    assert response["Content-Type"] == PROBLEM
    assert (OrgUnit.objects.count(), ObjectChange.objects.count()) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "x" * 101),
        ("name", "   "),
        ("code", "C" * 41),
        ("code", "带中文"),
        ("code", "A B"),
        ("parent_id", 0),
        ("parent_id", 2**70),
        ("level", "galaxy"),
        ("name", 12),
    ],
)
def test_bad_fields_are_422_and_nothing_is_created(login_client, unit, field, value):
    body = {**_new_unit(unit("JS"), "JS-FRESH"), field: value}
    response = login_client("hq-admin").post(
        "/api/orgs/units", body, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM
    assert not OrgUnit.objects.filter(code="JS-FRESH").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["带\u0000零字节", "\ud800孤立代理"])
def test_a_nul_or_lone_surrogate_in_the_body_is_a_400(login_client, unit, name):
    import json

    body = json.dumps(_new_unit(unit("JS"), "JS-FRESH", name))  # escapes as \\u0000, \\ud800
    response = login_client("hq-admin").post(
        "/api/orgs/units", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert not OrgUnit.objects.filter(code="JS-FRESH").exists()


@pytest.mark.django_db(transaction=True)
def test_two_requests_creating_the_same_code_at_once_get_201_and_409():
    from firstcall.seeding import seed

    if not OrgUnit.objects.filter(code="HQ").exists():
        seed(demo=True)  # an earlier transactional test emptied the tables
    parent_pk = OrgUnit.objects.get(code="JS").pk
    admin = User.objects.get(username="hq-admin")
    start = threading.Barrier(2, timeout=30)
    answers: list[tuple[int, str]] = []

    def create() -> None:
        client = Client()
        client.force_login(admin)
        start.wait()
        body = {"name": "并发", "code": "JS-RACE", "level": "department", "parent_id": parent_pk}
        response = client.post("/api/orgs/units", body, content_type="application/json")
        answers.append((response.status_code, response["Content-Type"]))
        connections.close_all()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [(201, "application/json; charset=utf-8"), (409, PROBLEM)]
    assert OrgUnit.objects.filter(code="JS-RACE").count() == 1
