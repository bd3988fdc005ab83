"""Contract tests of the access-network, messaging, IPTV, policy, points and coverage connectors
against the live sandbox, and of answers outside the contract."""

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from asgiref.sync import sync_to_async

from firstcall.core.audit import ChangeContext
from firstcall.integrations import registry, services

pytestmark = pytest.mark.django_db(transaction=True)


async def test_access_line_resources_and_alarms(live):
    dark = (await live.sample("weak_optical_power", "broadband"))["keys"]["broadband"]
    line, facts = await live.data("nms", "line", dark), await live.facts(dark, "NMS")
    onu = line["onu"]
    assert line["access_type"] == "FTTH" and onu["online"] is False
    assert onu["rx_power_dbm"] == facts["rx_dbm"]["actual"] and onu["rx_power_ok"] is False
    assert (await live.data("nms", "line_test", dark))["test_type"]

    outage = await live.sample("access_alarm", "broadband")
    account = outage["keys"]["broadband"]
    allocation = await live.data("resources", "allocation", account)
    truth = await live.truth(outage["number"])
    assert allocation["access_device"]["ne_id"] == truth["network"]["access_ne"]
    assert allocation["bras"]["ne_id"] == truth["network"]["bras"]
    assert allocation["ne_ids"][0] == allocation["access_device"]["ne_id"]
    alarms = await live.data("alarms", "active", allocation["ne_ids"])
    assert alarms["total"] >= 1
    alarm = next(a for a in alarms["alarms"] if a["ne_id"] == truth["network"]["access_ne"])
    assert alarm["severity_level"] in (1, 2, 3, 4) and alarm["cleared_at"] is None
    city = await live.data("alarms", "in_city", truth["city"], alarm["ne_type"])
    assert alarm["alarm_id"] in {a["alarm_id"] for a in city["alarms"]}
    assert {a["ne_type"] for a in city["alarms"]} == {alarm["ne_type"]}

    healthy = (await live.sample("healthy", "broadband"))["keys"]["broadband"]
    ne_ids = (await live.data("resources", "allocation", healthy))["ne_ids"]
    assert (await live.data("alarms", "active", ",".join(ne_ids)))["total"] == 0

    adsl = (await live.sample("adsl_line_fault", "broadband"))["keys"]["broadband"]
    assert (await live.data("nms", "line", adsl))["dsl"]["active"] is False
    assert (await live.data("nms", "line_test", adsl))["passed"] is False
    lan = (await live.sample("lan_port_fault", "broadband"))["keys"]["broadband"]
    assert (await live.data("nms", "line", lan))["switch_port"]["up"] is False
    loid = (await live.sample("onu_loid_mismatch", "broadband"))["keys"]["broadband"]
    assert (await live.data("nms", "line", loid))["onu"]["registered"] is False
    vlan = (await live.sample("iptv_vlan_missing", "broadband"))["keys"]["broadband"]
    assert (await live.data("nms", "line", vlan))["service_config"]["iptv_vlan_ok"] is False


async def test_stuck_provisioning_order(live):
    stuck = await live.sample("order_stuck", "mobile")
    number, cust_id = stuck["keys"]["mobile"], stuck["keys"]["cust_id"]
    orders = (await live.data("provisioning", "work_orders", number))["work_orders"]
    order = next(o for o in orders if o["state"] == "timed_out")
    assert not all(c["ok"] for c in order["commands"]) and order["retries"] >= 1
    assert await live.data("provisioning", "work_order", order["work_order_id"]) == order
    crm = (await live.data("crm", "orders", cust_id))["orders"]
    accepted = next(o for o in crm if o["work_order_id"] == order["work_order_id"])
    assert accepted["state"] == "in_progress"


async def test_sms_centre_and_vas(live):
    blocked = (await live.sample("sms_blocked", "mobile"))["keys"]["mobile"]
    blocking = await live.data("smsc", "blocking", blocked)
    assert blocking["blocked"] and blocking["block_106"] and blocking["lists"]
    messages = (await live.data("smsc", "messages", blocked))["messages"]
    intercepted = [m for m in messages if m["state"] == "intercepted"]
    assert intercepted and all(m["intercepted_by"] for m in intercepted)
    full = (await live.sample("sms_fail_memory", "mobile"))["keys"]["mobile"]
    causes = {m["fail_cause"] for m in (await live.data("smsc", "messages", full))["messages"]}
    assert "memoryCapacityExceeded" in causes
    sent = await live.data("smsc", "messages", full, "MO")
    assert sent["direction"] == "MO" and all(m["sender"] == full for m in sent["messages"])
    assert not (await live.data("smsc", "blocking", full))["blocked"]

    unconfirmed = (await live.sample("vas_no_second_confirmation", "mobile"))["keys"]["mobile"]
    vas = await live.data("vas", "subscriptions", unconfirmed)
    assert vas["msisdn"] == unconfirmed and vas["vas_blocked"] is False
    assert any(not s["second_confirmed"] for s in vas["subscriptions"])
    assert {s["state"] for s in vas["subscriptions"]} <= {"active", "unsubscribed", "suspended"}
    gone = (await live.sample("vas_charged_after_unsubscribe", "mobile"))["keys"]["mobile"]
    subs = (await live.data("vas", "subscriptions", gone))["subscriptions"]
    assert any(s["state"] == "unsubscribed" and s["unsubscribed_at"] for s in subs)


async def test_iptv_pcrf_points_and_coverage(live):
    swapped = (await live.sample("iptv_stb_mismatch", "iptv"))["keys"]["iptv"]
    iptv, facts = await live.data("iptv", "account", swapped), await live.facts(swapped, "IPTV")
    assert iptv["stb_matches"] is False and iptv["last_auth_ok"] is False
    assert iptv["bound_stb_mac"] == facts["bound_mac"]["actual"]
    stopped = (await live.sample("iptv_state_mismatch", "iptv"))["keys"]["iptv"]
    assert (await live.data("iptv", "account", stopped))["state"] == "stopped"
    no_live = (await live.sample("iptv_multicast_missing", "iptv"))["keys"]["iptv"]
    assert (await live.data("iptv", "account", no_live))["multicast"] is False
    missing = (await live.sample("iptv_account_missing", "iptv"))["keys"]["iptv"]
    assert (await live.call("iptv", "account", missing)).error.code == "not_found"

    odd = (await live.sample("pcrf_policy_mismatch", "mobile"))["keys"]["mobile"]
    policy = await live.data("pcrf", "policy", odd)
    assert policy["throttled"] and policy["usage_percent"] < policy["usage_threshold_percent"]
    over = (await live.sample("pcrf_throttled", "mobile"))["keys"]["mobile"]
    policy = await live.data("pcrf", "policy", over)
    assert policy["throttled"] and policy["usage_percent"] >= policy["usage_threshold_percent"]

    late = (await live.sample("points_benefit_overdue", "mobile"))["keys"]["mobile"]
    redemptions = (await live.data("points", "redemptions", late))["redemptions"]
    assert any(r["state"] == "processing" for r in redemptions)
    frozen = (await live.sample("points_fail_stock_not_refunded", "mobile"))["keys"]["mobile"]
    member = await live.data("points", "member", frozen)
    assert member["frozen"] == (await live.facts(frozen, "POINTS"))["frozen"]["actual"] > 0
    failed = (await live.data("points", "redemptions", frozen))["redemptions"]
    assert any(r["state"] == "failed" and r["points_refunded"] is False for r in failed)

    for condition, weak in (("weak_coverage", True), ("healthy", False)):
        msisdn = (await live.sample(condition, "mobile"))["keys"]["mobile"]
        cell = (await live.data("hlr", "subscriber", msisdn))["serving_cell"]
        coverage = await live.data("gis", "coverage", cell)
        assert coverage["cell_id"] == cell and coverage["weak"] is weak
    down = (await live.sample("cell_alarm", "mobile"))["keys"]["mobile"]
    cell = (await live.data("hlr", "subscriber", down))["serving_cell"]
    assert (await live.data("alarms", "active", [cell]))["alarms"][0]["ne_id"] == cell


def odd_crm() -> web.Application:
    """A CRM that answers 200 with JSON outside its contract."""

    async def customers(request: web.Request) -> web.Response:
        return web.json_response({"resultCode": "0", "resultMsg": "ok", "data": {"custId": 7}})

    async def hlr(request: web.Request) -> web.Response:
        return web.json_response({"ResultCode": 0, "ResultDesc": "ok"})

    app = web.Application()
    app.router.add_get("/crm/api/v1/customers", customers)
    app.router.add_get("/hlr/v1/subscribers/{msisdn}", hlr)
    return app


def _register(name: str, kind: str, base_url: str) -> None:
    services.create_system(
        ChangeContext.for_cli("test"), name=name, kind=kind, title=name, base_url=base_url
    )


async def test_answers_outside_the_contract_are_malformed_not_not_found(live):
    odd = TestServer(odd_crm())
    await odd.start_server()
    try:
        await sync_to_async(_register)("crm-odd", "crm", str(odd.make_url("/crm")))
        await sync_to_async(_register)("hlr-odd", "hlr", str(odd.make_url("/hlr")))
        # A 404 that is not the system's own "no such record" (a wrong base URL).
        await sync_to_async(_register)("crm-misrouted", "crm", f"{live.base}/nothing-here")
        registry.forget_configs()
        for system, operation in (("crm-odd", "customer_by_number"), ("hlr-odd", "subscriber")):
            result = await live.call(system, operation, "17700000000")
            assert result.error.code == "malformed" and not result.error.retryable, result
        misrouted = await live.call("crm-misrouted", "customer_by_number", "17700000000")
        assert misrouted.error.code == "http_4xx", misrouted
    finally:
        await odd.close()
    # The sandbox's own "malformed" fault: a truncated body.
    number = (await live.sample("healthy", "mobile"))["keys"]["mobile"]
    await live.fault("pcrf", "malformed", rate=1.0)
    assert (await live.call("pcrf", "policy", number)).error.code == "malformed"
    await live.fault("pcrf", "none")
    assert (await live.call("pcrf", "policy", number)).ok
