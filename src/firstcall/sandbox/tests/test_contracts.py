"""Each system keeps its own contract style, including how it says "not found"."""

import pytest

from firstcall.sandbox.tests.conftest import force, healthy_customer, truth
from firstcall.sandbox.tests.test_repairs import post

UNKNOWN = "18900000000"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("path", "status", "field", "value"),
    [
        (f"/crm/api/v1/customers?serviceNo={UNKNOWN}", 200, "resultCode", "1004"),
        (f"/hlr/v1/subscribers/{UNKNOWN}", 200, "ResultCode", 3001),
        ("/aaa/v1/users/02512345678", 404, "Reply-Message", "无此用户"),
        (f"/ocs/v1/subscribers/{UNKNOWN}", 404, "retCode", "2001"),
        (f"/pcrf/v1/subscribers/{UNKNOWN}/policy", 404, "Result-Code", 5030),
        (f"/billing/v2/accounts?service_no={UNKNOWN}", 404, "code", 40401),
        (f"/points/api/members/{UNKNOWN}", 404, "status", "FAIL"),
        ("/iptv/v1/accounts/itv02512345678", 404, "errorCode", 404001),
        ("/sps/v1/work-orders/PF-025-20240101-99999990", 404, "returnCode", "E1004"),
        ("/gis/v1/coverage?cellId=nowhere", 404, "code", 404),
    ],
)
async def test_not_found_in_each_systems_own_words(client, path, status, field, value):
    response = await client.get(path)
    assert response.status == status
    assert (await response.json())[field] == value


@pytest.mark.asyncio
async def test_chinese_text_travels_as_utf8_not_escapes(client, sandbox):
    c = healthy_customer(sandbox, "arrears_stop")
    response = await client.get(f"/crm/api/v1/customers/{c.cust_id}")
    assert "\\u" not in await response.text() and response.charset == "utf-8"


@pytest.mark.asyncio
async def test_a_paid_off_failed_redemption_stays_in_the_history(client, sandbox):
    c = healthy_customer(sandbox, "points_fail_arrears")
    await force(client, c.service_number, "points_fail_arrears")
    status, _, _ = await post(
        client, f"/billing/v2/accounts/{c.acct_id}/payments", {"amount": 1000}, key="pay"
    )
    assert status == 200
    ground = await truth(client, c.service_number)
    assert ground["healthy"] and ground["resolved"] == ["points_fail_arrears"]
    orders = await (await client.get(f"/points/api/members/{c.service_number}/redemptions")).json()
    assert any(r["status"] == "失败" for r in orders["data"]["redemptions"])
    member = await (await client.get(f"/points/api/members/{c.service_number}")).json()
    assert member["data"]["accrualPaused"] is False


@pytest.mark.asyncio
async def test_sent_messages_fail_while_the_number_is_stopped(client, sandbox):
    c = healthy_customer(sandbox, "arrears_stop", lambda c: c.mobile is not None)
    path = f"/smsc/v1/messages?msisdn={c.mobile.msisdn}&direction=MO"
    sent = (await (await client.get(path)).json())["records"]
    assert sent and all(r["status"] == "已递交" and r["orig"] == c.mobile.msisdn for r in sent)
    await force(client, c.service_number, "arrears_stop")
    sent = (await (await client.get(path)).json())["records"]
    assert sent[0]["status"] == "失败" and sent[0]["failCause"] == "callBarred"
    assert (await client.get(path.replace("MO", "XX"))).status == 400
