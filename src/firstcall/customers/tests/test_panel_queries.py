"""What one panel request costs in database queries when every read it needs is in the call
cache: sign-in, permissions and scope, the cached rows and nothing else (no write). Pinned, so a
change that adds a query per panel shows here."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from firstcall.core import clock
from firstcall.customers.models import CachedRead

NUMBER = "13900009999"
CUSTOMER = {
    "cust_id": "C-Q-1",
    "name": "查询测试",
    "star_level": "3",
    "region": {"province_code": "JS", "city_code": "JS-NJ", "province": "江苏", "city": "南京"},
    "products": [],
}
ROWS = {
    f"crm.find:{NUMBER}": ("crm", CUSTOMER),
    "crm.products:C-Q-1": ("crm", {"products": []}),
    f"billing.account:{NUMBER}": ("billing", {"balance": 10, "status": "active"}),
    f"points.member:{NUMBER}": ("points", {"points": 5}),
    f"hlr.subscriber:{NUMBER}": ("hlr", {"imsi": "4600"}),
    f"ocs.subscriber:{NUMBER}": ("ocs", {"state": "active"}),
}

# Session, user, the user's permissions, the cached rows, the customer's org unit; the tickets
# panel adds the customer's tickets, their concerns and the repairs of the number.
BUDGET = {"customer": 5, "account": 5, "products": 5, "tickets": 8}


def _cache_rows() -> None:
    now = clock.now()
    CachedRead.objects.bulk_create(
        CachedRead(
            number=NUMBER,
            key=key,
            system=system,
            data=data,
            fetched_at=now,
            expires_at=now + timedelta(minutes=5),
        )
        for key, (system, data) in ROWS.items()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("panel", sorted(BUDGET))
def test_a_panel_served_from_the_call_cache_costs_a_fixed_few_queries(login_client, panel):
    _cache_rows()
    client = login_client("js-nj-agent")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/agent/panel/{panel}/", {"number": NUMBER}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.content.decode()[:500]
    assert "查询测试" in response.content.decode() or panel != "customer"
    sql = [q["sql"] for q in queries.captured_queries]
    assert not any(s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for s in sql), sql
    assert len(sql) <= BUDGET[panel], "\n".join(sql)


def _call_ticket(unit_code: str) -> int:
    from firstcall.orgs.models import OrgUnit
    from firstcall.tickets.models import Ticket

    ticket = Ticket.objects.create(
        code=f"T-Q-{unit_code}",
        kind=Ticket.Kind.choices[0][0],
        status=Ticket.Status.OPEN,
        unit=OrgUnit.objects.get(code=unit_code),
        customer_id="C-Q-1",
        service_number=NUMBER,
    )
    return ticket.pk


@pytest.mark.django_db
def test_a_calls_panel_is_scoped_by_the_call_not_by_crm(login_client):
    """In a call the ticket says whose customer it is: one query for the call's unit replaces the
    customer's unit, and a call of a unit the agent does not work is not found."""
    _cache_rows()
    client = login_client("js-nj-agent")
    own = _call_ticket("JS-NJ")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            "/agent/panel/customer/", {"number": NUMBER, "call": own}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) <= BUDGET["customer"], "\n".join(sql)
    assert any('"tickets_ticket"' in s for s in sql)
    assert not any('FROM "orgs_orgunit" WHERE' in s and '"code" IN' in s for s in sql)
    assert 'id="start-call"' not in response.content.decode()  # nothing to take away in a call
    elsewhere = _call_ticket("JS-SZ")
    response = client.get(
        "/agent/panel/customer/", {"number": NUMBER, "call": elsewhere}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 404
