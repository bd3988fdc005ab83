"""In async mode Django's middleware runs on the event loop: an agent-screen panel request hands
over to a thread only for its own database work (and Django's request signals), and signing in
still checks the CSRF token and saves the session."""

from datetime import timedelta

import pytest
from asgiref.sync import SyncToAsync, sync_to_async
from django.conf import settings
from django.test import AsyncClient

from firstcall.accounts.models import User
from firstcall.core import clock
from firstcall.customers.models import CachedRead

pytestmark = pytest.mark.django_db(transaction=True)

NUMBER = "13900008888"


def _keep_customer() -> None:
    from firstcall.seeding import seed

    if not User.objects.filter(username="js-nj-agent").exists():
        seed(demo=True)
    now = clock.now()
    region = {"province_code": "JS", "city_code": "JS-NJ", "province": "江苏", "city": "南京"}
    CachedRead.objects.create(
        number=NUMBER,
        key=f"crm.find:{NUMBER}",
        system="crm",
        data={"cust_id": "C-M", "name": "中间件", "region": region},
        fetched_at=now,
        expires_at=now + timedelta(minutes=5),
    )


async def test_a_panel_request_hands_over_to_a_thread_only_a_few_times(monkeypatch):
    await sync_to_async(_keep_customer)()
    client = AsyncClient()
    await client.aforce_login(await User.objects.aget(username="js-nj-agent"))
    handovers: list[str] = []
    original = SyncToAsync.__call__

    async def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        handovers.append(getattr(self.func, "__qualname__", repr(self.func)))
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", counted)
    response = await client.get("/agent/panel/customer/", {"number": NUMBER})
    assert response.status_code == 200 and "中间件" in response.content.decode()
    # Django's request-started signal, the panel's one crossing in, the response's close (with
    # the request-finished signal): no middleware hook among them.
    assert len(handovers) <= 3, handovers


async def test_signing_in_checks_the_token_and_keeps_the_session(demo_password):
    await sync_to_async(_keep_customer)()
    client = AsyncClient(enforce_csrf_checks=True)
    form = await client.get("/accounts/login/")
    token = form.cookies[settings.CSRF_COOKIE_NAME].value
    refused = await client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert refused.status_code == 403
    signed_in = await client.post(
        "/accounts/login/",
        {"username": "js-nj-agent", "password": demo_password, "csrfmiddlewaretoken": token},
    )
    assert signed_in.status_code == 302
    panel = await client.get("/agent/panel/customer/", {"number": NUMBER})
    assert panel.status_code == 200 and "中间件" in panel.content.decode()
