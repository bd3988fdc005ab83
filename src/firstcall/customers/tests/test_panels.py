"""The agent screen over real HTTP to the sandbox: the shell, each panel, scope, a degraded panel,
and a repair from the comparison panel."""

import pytest
from asgiref.sync import sync_to_async
from django.test import AsyncClient

from firstcall.accounts.models import User
from firstcall.customers.models import Repair
from firstcall.seeding import seed

live_db = pytest.mark.django_db(transaction=True)

PANELS = ("customer", "account", "products", "platforms", "comparison", "tickets")


def _seeded_user(username: str) -> User:
    if not User.objects.filter(username=username).exists():
        seed(demo=True)  # transactional tests before this one emptied the tables
    return User.objects.get(username=username)


async def _client_for(username: str) -> AsyncClient:
    client = AsyncClient()
    await client.aforce_login(await sync_to_async(_seeded_user)(username))
    return client


async def _agent_of(live, number: str) -> AsyncClient:
    """A client signed in as the demo agent of the customer's own city."""
    truth = await live.truth(number)
    return await _client_for(f"{truth['city'].lower()}-agent")


@pytest.mark.django_db
def test_one_answer_brings_the_shell_first_and_then_every_panel(login_client):
    response = login_client("js-nj-agent").get("/agent/", {"number": "139 0000 0000"})
    assert response.status_code == 200 and response.streaming
    chunks = [c.decode() for c in response]  # the test client serves it synchronously
    shell, page = chunks[0], "".join(chunks)
    # The shell is whole before any panel: its cards, the script that places the panels, and
    # no request of its own per panel (each card keeps its URL for a retry or a refresh).
    assert 'src="/static/web/panel-stream.js"' in shell and "data-fc-panel" not in shell
    for name in PANELS:
        assert f'hx-get="/agent/panel/{name}/?number=13900000000"' in shell
        assert page.count(f'<template data-fc-panel="{name}">') == 1, name
        assert page.index(f'data-fc-panel="{name}"') < page.index(f'data-fc-placed="{name}"')
    assert 'hx-trigger="load' not in shell
    assert page.rstrip().endswith("</html>")


@pytest.mark.django_db
def test_a_number_that_is_not_one_gets_a_message_not_a_lookup(login_client):
    response = login_client("js-nj-agent").get("/agent/", {"number": "<script>"})
    assert response.status_code == 422
    assert 'data-testid="number-error"' in response.content.decode()
    assert "/agent/panel/" not in response.content.decode()


@pytest.mark.django_db
def test_the_workbench_needs_the_workbench_permission(login_client):
    assert login_client("js-nj-netopt").get("/agent/").status_code == 403


@live_db
async def test_every_panel_renders_for_a_customer_with_an_hlr_mismatch(live):
    customer = await live.sample("hlr_barring_mismatch", "mobile")
    number = customer["number"]
    client = await _agent_of(live, number)
    for name in PANELS:
        response = await client.get(
            f"/agent/panel/{name}/", {"number": number}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200, name
    comparison = (await client.get("/agent/panel/comparison/", {"number": number})).content.decode()
    assert 'data-field="barring_out"' in comparison
    assert f'"fix": "hlr.resync:{number}"' in comparison


@live_db
async def test_an_agent_of_another_city_cannot_see_the_customer(live):
    customer = await live.sample("healthy", "mobile")
    number = customer["number"]
    crm = await live.data("crm", "customer_by_number", number)
    other = "js-nj-agent" if crm["region"]["city_code"] != "JS-NJ" else "gd-sz-agent"
    client = await _client_for(other)
    response = await client.get("/agent/panel/customer/", {"number": number})
    assert response.status_code == 403
    assert crm["name"] not in response.content.decode()


@live_db
async def test_a_system_that_is_down_degrades_only_its_panel(live):
    customer = await live.sample("healthy", "mobile")
    number = customer["number"]
    client = await _agent_of(live, number)
    await live.fault("hlr", "down")
    platforms = await client.get("/agent/panel/platforms/", {"number": number})
    assert platforms.status_code == 200
    page = platforms.content.decode()
    assert 'data-testid="failed-hlr"' in page
    assert 'data-testid="read-ocs.subscriber"' in page
    comparison = (await client.get("/agent/panel/comparison/", {"number": number})).content.decode()
    assert 'data-testid="unchecked-hlr"' in comparison
    assert 'data-testid="consistent"' not in comparison
    customer_panel = await client.get("/agent/panel/customer/", {"number": number})
    assert 'data-testid="customer-name"' in customer_panel.content.decode()


@live_db
async def test_repair_from_the_comparison_panel_fixes_and_shows_it(live):
    customer = await live.sample("hlr_barring_mismatch", "mobile")
    number = customer["number"]
    client = await _agent_of(live, number)
    await client.get("/agent/panel/comparison/", {"number": number})
    response = await client.post(
        "/agent/repair/",
        {"number": number, "fix": f"hlr.resync:{number}"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-status="succeeded"' in page
    assert 'data-testid="consistent"' in page
    assert response.headers["HX-Trigger"] == "fc-customer-changed"
    repair = await Repair.objects.aget(number=number)
    assert repair.verified and repair.requested_by.endswith("-agent")


@live_db
async def test_repairing_a_mismatch_that_is_not_there_is_refused_cleanly(live):
    customer = await live.sample("healthy", "mobile")
    number = customer["number"]
    client = await _agent_of(live, number)
    response = await client.post(
        "/agent/repair/",
        {"number": number, "fix": f"hlr.resync:{number}"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert not await Repair.objects.filter(number=number).aexists()


@live_db
async def test_the_tickets_panel_shows_the_customers_tickets_and_a_repeat_flag(live):
    from datetime import timedelta

    from firstcall.core import clock
    from firstcall.orgs.models import OrgUnit
    from firstcall.tickets.models import Ticket

    customer = await live.sample("healthy", "mobile")
    number = customer["number"]
    client = await _agent_of(live, number)
    crm = await live.data("crm", "find", number)
    unit = await OrgUnit.objects.aget(code=crm["region"]["city_code"])
    now = clock.now()
    for code, status, days in (
        ("PP-1", "open", 1),
        ("PP-2", "resolved", 10),
        ("PP-3", "closed", 90),
    ):
        await Ticket.objects.acreate(
            code=code,
            kind=Ticket.Kind.PREPROCESSING,
            status=status,
            unit=unit,
            customer_id=crm["cust_id"],
            service_number=number,
            phenomenon="手机无法拨打电话",
            opened_at=now - timedelta(days=days),
        )
    page = (await client.get("/agent/panel/tickets/", {"number": number})).content.decode()
    open_part = page.split('data-testid="open-tickets"')[1].split("</ul>")[0]
    past_part = page.split('data-testid="past-tickets"')[1].split("</ul>")[0]
    assert "PP-1" in open_part and "PP-2" not in open_part
    assert "PP-2" in past_part and "PP-3" in past_part
    assert 'data-testid="repeat-flag"' in page  # two contacts within 30 days
    assert "手机无法拨打电话 × 3" in page
