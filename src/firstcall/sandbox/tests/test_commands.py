"""Commands beyond plain repairs: payments, refusals, platform rejections, key reuse, password
checks, acting on healthy customers, unsubscribing, refunds."""

import pytest

from firstcall.sandbox.tests.checks import load
from firstcall.sandbox.tests.conftest import force, healthy_customer, truth
from firstcall.sandbox.tests.test_repairs import post
from firstcall.sandbox.tests.views import Views

CHECKS = load()


@pytest.mark.asyncio
async def test_payment_needs_a_key_pays_off_arrears_and_replays(client, sandbox):
    c = healthy_customer(sandbox, "arrears_stop")
    await force(client, c.service_number, "arrears_stop")
    path = f"/billing/v2/accounts/{c.acct_id}/payments"
    status, _, _ = await post(client, path, {"amount": 500})
    assert status == 428
    status, paid, _ = await post(client, path, {"amount": 500, "channel": "微信"}, key="pay-1")
    assert status == 200 and paid["account"]["arrears"] == "0.00"
    changes = sandbox.store.changes
    status, replay, headers = await post(
        client, path, {"amount": 500, "channel": "微信"}, key="pay-1"
    )
    assert (replay, headers["Idempotent-Replayed"]) == (paid, "true")
    assert sandbox.store.changes == changes
    assert not await CHECKS["arrears_stop"].predicate(Views(client, c))
    ground = await truth(client, c.service_number)
    assert ground["resolved"] == ["arrears_stop"] and ground["healthy"]


@pytest.mark.asyncio
async def test_partial_payment_leaves_the_stop_in_place(client, sandbox):
    c = healthy_customer(sandbox, "arrears_stop")
    await force(client, c.service_number, "arrears_stop")
    before = float((await Views(client, c).get("billing"))["account"]["arrears"])
    status, paid, _ = await post(
        client, f"/billing/v2/accounts/{c.acct_id}/payments", {"amount": 1}, key="p"
    )
    assert status == 200 and float(paid["account"]["arrears"]) == pytest.approx(before - 1)
    assert await CHECKS["arrears_stop"].predicate(Views(client, c))


@pytest.mark.asyncio
@pytest.mark.parametrize("condition", ["arrears_stop", "antifraud_shutdown"])
async def test_resume_is_refused_while_the_cause_remains(client, sandbox, condition):
    c = healthy_customer(sandbox, condition, lambda c: c.mobile is not None)
    await force(client, c.service_number, condition)
    for _ in range(2):
        status, body, _ = await post(client, "/sps/v1/resume", {"serviceNo": c.service_number})
        assert status == 409 and body["returnCode"] == "E1009"
    assert (await truth(client, c.service_number))["conditions"] == [condition]


@pytest.mark.asyncio
async def test_a_rejected_repair_fails_changes_nothing_and_fails_again(client, sandbox):
    c = healthy_customer(sandbox, "hlr_barring_mismatch")
    await force(client, c.service_number, "hlr_barring_mismatch", "repair_rejected")
    changes = sandbox.store.changes
    path = f"/hlr/v1/subscribers/{c.mobile.msisdn}/resync"
    first = await post(client, path, {})
    second = await post(client, path, {})
    assert first[0] == 409 and first[:2] == second[:2]
    status, body, _ = await post(
        client, "/sps/v1/resync", {"serviceNo": c.mobile.msisdn, "platform": "HLR"}
    )
    assert (status, body["returnCode"], body["result"]) == (200, "E2003", "失败")
    assert sandbox.store.changes == changes
    assert await CHECKS["hlr_barring_mismatch"].predicate(Views(client, c))


@pytest.mark.asyncio
async def test_a_key_reused_for_another_request_is_refused(client, sandbox):
    c = healthy_customer(sandbox, "aaa_stale_session")
    path = f"/aaa/v1/users/{c.broadband.account}/password-reset"
    assert (await post(client, path, {"newPassword": "first-1"}, key="same"))[0] == 200
    status, body, _ = await post(client, path, {"newPassword": "second-2"}, key="same")
    assert status == 422 and body["error"] == "IDEMPOTENCY_KEY_REUSED"


@pytest.mark.asyncio
async def test_password_reset_is_checkable_and_a_noop_when_repeated(client, sandbox):
    c = healthy_customer(sandbox, "bb_wrong_password")
    user = f"/aaa/v1/users/{c.broadband.account}"
    old = (await truth(client, c.service_number))["secrets"]["broadband_password"]
    assert (await post(client, f"{user}/password-check", {"password": old}))[1]["match"] is True
    first = await post(client, f"{user}/password-reset", {})
    changes = sandbox.store.changes
    assert await post(client, f"{user}/password-reset", {}) == first
    assert sandbox.store.changes == changes
    new = (await truth(client, c.service_number))["secrets"]["broadband_password"]
    assert new != old
    assert (await post(client, f"{user}/password-check", {"password": new}))[1]["match"] is True
    assert (await post(client, f"{user}/password-check", {"password": old}))[1]["match"] is False


@pytest.mark.asyncio
async def test_kick_and_unbind_act_on_a_healthy_customer_too(client, sandbox):
    c = healthy_customer(sandbox, "aaa_stale_session", lambda c: c.broadband.online)
    user = f"/aaa/v1/users/{c.broadband.account}"
    assert (await (await client.get(f"{user}/sessions")).json())["sessions"]
    status, kicked, _ = await post(client, f"{user}/kick", {})
    assert status == 200 and kicked["sessions"] == []
    assert (await (await client.get(f"{user}/sessions")).json())["sessions"] == []
    status, unbound, _ = await post(client, f"{user}/binding/clear", {})
    assert unbound["user"]["Binding"]["Bound"] is False
    assert (await (await client.get(user)).json())["user"]["Binding"]["Bound"] is False


@pytest.mark.asyncio
async def test_a_noop_repair_changes_nothing(client, sandbox):
    c = healthy_customer(sandbox, "hlr_barring_mismatch")
    changes = sandbox.store.changes
    status, body, _ = await post(client, f"/hlr/v1/subscribers/{c.mobile.msisdn}/resync", {})
    assert status == 200 and body["ResultCode"] == 0
    assert sandbox.store.changes == changes


@pytest.mark.asyncio
async def test_unsubscribe_shows_in_the_vas_platform(client, sandbox):
    c = healthy_customer(sandbox, "vas_no_second_confirmation")
    await force(client, c.service_number, "vas_no_second_confirmation")
    views = Views(client, c)
    sub = next(
        s for s in (await views.get("vas"))["result"]["subscriptions"] if not s["secondConfirmed"]
    )
    path = f"/vas/v1/subscriptions/{sub['subscriptionId']}/unsubscribe"
    status, first, _ = await post(client, path, {"blockFutureOrders": True})
    assert status == 200
    after = (await Views(client, c).get("vas"))["result"]
    unsubscribed = next(
        s for s in after["subscriptions"] if s["subscriptionId"] == sub["subscriptionId"]
    )
    assert unsubscribed["status"] == "已退订" and unsubscribed["unsubscribeTime"]
    assert after["vasBlock"] is True
    changes = sandbox.store.changes
    again = await post(client, path, {"blockFutureOrders": True})
    assert again[1] == first and sandbox.store.changes == changes


@pytest.mark.asyncio
async def test_refund_request_is_one_per_bill_line(client, sandbox):
    c = healthy_customer(sandbox, "vas_charged_without_subscription")
    await force(client, c.service_number, "vas_charged_without_subscription")
    bills = (await Views(client, c).get("bills"))["bills"]
    item = next(i for i in bills[0]["items"] if i["agency_charge"])
    path = f"/billing/v2/accounts/{c.acct_id}/adjustments"
    first = await post(client, path, {"item_id": item["item_id"], "reason": "无订购关系"})
    assert first[0] == 200 and first[1]["adjustment"]["status"] == "已受理"
    changes = sandbox.store.changes
    assert (await post(client, path, {"item_id": item["item_id"], "reason": "无订购关系"}))[
        1
    ] == first[1]
    assert sandbox.store.changes == changes
    listed = await (await client.get(path)).json()
    assert [a["item_id"] for a in listed["adjustments"]] == [item["item_id"]]
