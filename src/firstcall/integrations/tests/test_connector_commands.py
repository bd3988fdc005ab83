"""Contract tests of every connector command against the live sandbox: idempotent under the same
key, visible in a later read (and in the sandbox's ground truth), a refused repair reported as a
non-retryable error that changed nothing."""

import pytest

from firstcall.integrations import registry

pytestmark = pytest.mark.django_db(transaction=True)


async def test_hlr_resync_is_idempotent_and_visible_in_a_later_read(live):
    msisdn = (await live.sample("hlr_barring_mismatch", "mobile"))["keys"]["mobile"]
    assert (await live.data("hlr", "subscriber", msisdn))["barring_out"] is True
    before = await live.state_changes()
    first = await live.data("hlr", "resync", msisdn, "repair-1")
    again = await live.data("hlr", "resync", msisdn, "repair-1")
    assert first == again and first["barring_out"] is False
    assert await live.state_changes() == before + 1
    # A new key with nothing left to do changes nothing either.
    await live.data("hlr", "resync", msisdn, "repair-2")
    assert await live.state_changes() == before + 1
    assert (await live.data("hlr", "subscriber", msisdn))["barring_out"] is False
    truth = await live.truth(msisdn)
    assert truth["resolved"] == ["hlr_barring_mismatch"] and truth["facts"] == []


async def test_refused_repair_is_a_non_retryable_error_and_changes_nothing(live):
    msisdn = (await live.sample("hlr_barring_mismatch", "mobile"))["keys"]["mobile"]
    await live.force(msisdn, ["hlr_barring_mismatch", "repair_rejected"])
    broadband = (await live.sample("aaa_state_mismatch", "broadband"))["keys"]["broadband"]
    await live.force(broadband, ["aaa_state_mismatch", "repair_rejected"])
    before = await live.state_changes()
    for system, operation, *args in (
        ("hlr", "resync", msisdn, "k-1"),  # HTTP 409
        ("provisioning", "resync", msisdn, "HLR", "k-2"),  # HTTP 200 + E2003
        ("aaa", "resync", broadband, "k-3"),
    ):
        result = await live.call(system, operation, *args)
        assert not result.ok and result.error.code == "refused", result
        assert result.error.retryable is False and "网元执行失败" in result.error.message
    assert await live.state_changes() == before
    assert (await live.data("hlr", "subscriber", msisdn))["barring_out"] is True
    assert (await live.data("aaa", "user", broadband))["state"] != "active"
    # Not a fault of the back end: no breaker counts it.
    assert all(breaker.failures == 0 for breaker in registry._breakers.values())


async def test_provisioning_resync_resume_and_resend(live):
    roaming = (await live.sample("hlr_roaming_mismatch", "mobile"))["keys"]["mobile"]
    done = await live.data("provisioning", "resync", roaming, "hlr", "sync-1")
    assert done == {"platform": "HLR", "result": "成功"}
    assert (await live.data("hlr", "subscriber", roaming))["intl_roaming_allowed"] is True

    paid = await live.sample("paid_still_stopped", "mobile")
    resumed = await live.data("provisioning", "resume", paid["number"], "resume-1")
    assert resumed["user_status"]["mobile"] == "正常"
    products = (await live.data("crm", "customer_by_number", paid["number"]))["products"]
    assert next(p for p in products if p["product_type"] == "mobile")["state"] == "active"
    assert (await live.data("ocs", "subscriber", paid["keys"]["mobile"]))["state"] == "active"

    owing = (await live.sample("arrears_stop", "mobile"))["keys"]["mobile"]
    refused = await live.call("provisioning", "resume", owing, "resume-2")
    assert refused.error.code == "refused" and not refused.error.retryable

    stuck = (await live.sample("order_stuck", "mobile"))["keys"]["mobile"]
    orders = (await live.data("provisioning", "work_orders", stuck))["work_orders"]
    wo_id = next(o for o in orders if o["state"] == "timed_out")["work_order_id"]
    resent = await live.data("provisioning", "resend", wo_id, "resend-1")
    assert resent["work_order"]["state"] == "succeeded"
    assert (await live.data("provisioning", "work_order", wo_id))["state"] == "succeeded"

    pending = (await live.sample("bb_install_pending", "broadband"))["keys"]["broadband"]
    orders = (await live.data("provisioning", "work_orders", pending))["work_orders"]
    waiting = next(o for o in orders if o["state"] == "awaiting_installation")
    result = await live.call("provisioning", "resend", waiting["work_order_id"], "resend-2")
    assert result.error.code == "refused"


async def test_aaa_commands(live):
    wrong = (await live.sample("bb_wrong_password", "broadband"))["keys"]["broadband"]
    reset = await live.data("aaa", "reset_password", wrong, "pw-1", "Fc-2026-new")
    assert reset["account"] == wrong and reset["password_changed_at"]
    assert (await live.data("aaa", "check_password", wrong, "Fc-2026-new"))["match"] is True
    generated = await live.data("aaa", "reset_password", wrong, "pw-2")
    assert generated["notice"]

    hung = (await live.sample("aaa_stale_session", "broadband"))["keys"]["broadband"]
    session = (await live.data("aaa", "sessions", hung))["sessions"][0]["session_id"]
    kicked = await live.data("aaa", "kick", hung, "kick-1", session)
    assert session not in {s["session_id"] for s in kicked["sessions"]}
    later = (await live.data("aaa", "sessions", hung))["sessions"]
    assert session not in {s["session_id"] for s in later}

    moved = (await live.sample("aaa_binding_stale", "broadband"))["keys"]["broadband"]
    cleared = await live.data("aaa", "clear_binding", moved, "unbind-1")
    assert cleared["bound"] is False and cleared["bound_port"] is None
    assert (await live.data("aaa", "user", moved))["bound"] is False

    missing = (await live.sample("aaa_account_missing", "broadband"))["keys"]["broadband"]
    created = await live.data("aaa", "resync", missing, "aaa-1")
    assert created["state"] == "active"
    assert (await live.data("aaa", "user", missing))["account"] == missing


async def test_messaging_vas_iptv_points_policy_and_line_commands(live):
    blocked = (await live.sample("sms_blocked", "mobile"))["keys"]["mobile"]
    assert (await live.data("smsc", "unblock", blocked, "unblock-1"))["blocked"] is False
    assert (await live.data("smsc", "blocking", blocked))["blocked"] is False

    msisdn = (await live.sample("vas_no_second_confirmation", "mobile"))["keys"]["mobile"]
    subs = (await live.data("vas", "subscriptions", msisdn))["subscriptions"]
    target = next(s for s in subs if not s["second_confirmed"])["subscription_id"]
    after = await live.data("vas", "unsubscribe", target, "unsub-1")
    assert (
        next(s for s in after["subscriptions"] if s["subscription_id"] == target)["state"]
        == "unsubscribed"
    )
    everything = await live.data("vas", "unsubscribe_all", msisdn, "unsub-2", True)
    assert everything["vas_blocked"] is True
    later = await live.data("vas", "subscriptions", msisdn)
    assert {s["state"] for s in later["subscriptions"]} == {"unsubscribed"}

    swapped = (await live.sample("iptv_stb_mismatch", "iptv"))["keys"]["iptv"]
    assert (await live.data("iptv", "rebind", swapped, "rebind-1"))["stb_matches"] is True
    assert (await live.data("iptv", "account", swapped))["stb_matches"] is True
    missing = (await live.sample("iptv_account_missing", "iptv"))["keys"]["iptv"]
    assert (await live.data("iptv", "resync", missing, "itv-1"))["state"] == "active"
    assert (await live.data("iptv", "account", missing))["account"] == missing

    late = (await live.sample("points_benefit_overdue", "mobile"))["keys"]["mobile"]
    redemptions = (await live.data("points", "redemptions", late))["redemptions"]
    order = next(r for r in redemptions if r["state"] == "processing")["order_id"]
    assert (await live.data("points", "resend", order, "points-1"))["state"] == "credited"
    later_points = (await live.data("points", "redemptions", late))["redemptions"]
    assert next(r for r in later_points if r["order_id"] == order)["state"] == "credited"
    shipping = (await live.sample("points_shipping_in_transit", "mobile"))["keys"]["mobile"]
    parcels = (await live.data("points", "redemptions", shipping))["redemptions"]
    gift = next(r for r in parcels if r["gift_type"] == "实物")  # nothing to resend: 409
    assert (await live.call("points", "resend", gift["order_id"], "points-2")).error.code == (
        "refused"
    )

    odd = (await live.sample("pcrf_policy_mismatch", "mobile"))["keys"]["mobile"]
    assert (await live.data("pcrf", "resync", odd, "pcrf-1"))["throttled"] is False
    assert (await live.data("pcrf", "policy", odd))["throttled"] is False
    healthy = (await live.sample("healthy", "mobile"))["keys"]["mobile"]
    assert await live.data("ocs", "resync", healthy, "ocs-1") == await live.data(
        "ocs", "subscriber", healthy
    )

    onu = (await live.sample("onu_loid_mismatch", "broadband"))["keys"]["broadband"]
    assert (await live.data("nms", "resync", onu, "olt-1"))["onu"]["registered"] is True
    assert (await live.data("nms", "line", onu))["onu"]["online"] is True
    adsl = (await live.sample("adsl_splitter_fault", "broadband"))["keys"]["broadband"]
    refused = await live.call("nms", "resync", adsl, "olt-2")
    assert refused.error.code == "refused" and "ADSL" in refused.error.message


async def test_billing_refund_once_per_line_and_a_reused_key_is_a_client_error(live):
    customer = await live.sample("vas_charged_after_unsubscribe", "mobile")
    acct_id = customer["keys"]["acct_id"]
    bills = (await live.data("billing", "bills", acct_id))["bills"]
    line = next(i for b in bills for i in b["items"] if i["agency_charge"])
    first = await live.data("billing", "refund", acct_id, line["item_id"], "计费争议", "refund-1")
    again = await live.data("billing", "refund", acct_id, line["item_id"], "计费争议", "refund-1")
    assert first == again and first["amount"] == line["amount"]
    adjustments = (await live.data("billing", "adjustments", acct_id))["adjustments"]
    assert [a["adjustment_id"] for a in adjustments] == [first["adjustment_id"]]
    unknown = await live.call("billing", "refund", acct_id, "209901-99", "x", "refund-2")
    assert unknown.error.code == "not_found"

    other = (await live.sample("healthy", "mobile"))["keys"]["mobile"]
    reused = await live.call("hlr", "resync", other, "refund-1")  # fine: another system
    assert reused.ok
    clash = await live.call("hlr", "resync", customer["keys"]["mobile"], "refund-1")
    assert clash.error.code == "http_4xx" and not clash.error.retryable
