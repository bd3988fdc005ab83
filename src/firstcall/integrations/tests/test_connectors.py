"""Contract tests of every connector read against the live sandbox on a loopback port, through
the registry. Customers are picked by their injected condition (sandbox ground truth) and the
normalised answers must show that condition."""

import ast
import inspect
from datetime import datetime
from pathlib import Path

import pytest

from firstcall.integrations import connectors, registry
from firstcall.integrations.connectors import CONNECTORS, Connector
from firstcall.integrations.models import SystemKind

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_kind_has_a_documented_connector_that_imports_no_sandbox_code():
    assert set(CONNECTORS) == set(SystemKind.values)
    for path in Path(connectors.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.startswith("firstcall.sandbox") for n in names), path.name
    for kind, cls in CONNECTORS.items():
        operations = [
            (name, fn)
            for name, fn in inspect.getmembers(cls, inspect.iscoroutinefunction)
            if not name.startswith("_") and name not in vars(Connector)
        ]
        assert operations, kind
        for name, fn in operations:
            doc = inspect.getdoc(fn) or ""
            assert ("GET " in doc or "POST " in doc) and "Returns" in doc, f"{kind}.{name}"


async def test_crm_customer_with_products_and_orders(live):
    c = await live.sample("healthy", "mobile", "broadband", "iptv")
    keys, truth = c["keys"], await live.truth(c["number"])
    customer = await live.data("crm", "customer_by_number", keys["mobile"])
    assert (customer["cust_id"], customer["acct_id"]) == (keys["cust_id"], keys["acct_id"])
    assert customer["pay_mode"] in ("prepaid", "postpaid")
    assert {n["number"] for n in customer["service_numbers"]} >= {keys["mobile"], keys["iptv"]}
    products = {p["product_type"]: p for p in customer["products"]}
    for kind, status in truth["state"]["products"].items():
        assert (products[kind]["status"], products[kind]["state"]) == (status, "active")
    mobile, broadband, iptv = products["mobile"], products["broadband"], products["iptv"]
    assert mobile["number"] == keys["mobile"] and all(
        isinstance(on, bool) for on in mobile["features"].values()
    )
    assert broadband["access_type"] == truth["products"]["broadband"]
    assert isinstance(broadband["down_mbps"], int) and broadband["ont"]["loid"]
    assert iptv["bound_broadband"] == keys["broadband"] and iptv["stb"]["mac"]
    # The same customer from any of its keys, by id, and its products alone.
    for key in (keys["broadband"], keys["iptv"]):
        assert (await live.data("crm", "customer_by_number", key))["cust_id"] == keys["cust_id"]
    assert await live.data("crm", "customer", keys["cust_id"]) == customer
    assert (await live.data("crm", "products", keys["cust_id"]))["products"] == customer["products"]
    orders = await live.data("crm", "orders", keys["cust_id"])
    assert orders["cust_id"] == keys["cust_id"]
    assert all(o["state"] != "other" for o in orders["orders"])


async def test_every_system_answers_an_unknown_key_with_not_found(live):
    unknown = "19999999999"
    calls = [
        ("crm", "customer_by_number", unknown),  # HTTP 200 + resultCode 1004
        ("crm", "orders", "4400000000000000"),
        ("hlr", "subscriber", unknown),  # HTTP 200 + ResultCode 3001
        ("billing", "account", unknown),
        ("billing", "bills", "8000000000000000"),
        ("billing", "voice_records", unknown),
        ("ocs", "subscriber", unknown),
        ("aaa", "user", "025000000"),
        ("aaa", "sessions", "025000000"),
        ("aaa", "session_history", "025000000"),
        ("nms", "line", "025000000"),
        ("resources", "allocation", "025000000"),
        ("provisioning", "work_orders", unknown),
        ("provisioning", "work_order", "PF-025-20260101-99999999"),
        ("smsc", "messages", unknown),
        ("smsc", "blocking", unknown),
        ("vas", "subscriptions", unknown),
        ("vas", "unsubscribe", "VS9999999999", "key-1"),
        ("iptv", "account", "itv025000000"),
        ("pcrf", "policy", unknown),
        ("points", "member", unknown),
        ("points", "redemptions", unknown),
        ("points", "resend", "JF20260101-99999999", "key-2"),
        ("gis", "coverage", "XX-XX-CELL-000"),
    ]
    for system, operation, *args in calls:
        result = await live.call(system, operation, *args)
        assert not result.ok and result.error.code == "not_found", (system, operation, result)
        assert result.error.retryable is False
    # Not a fault of the back end: no breaker counts it.
    assert all(breaker.failures == 0 for breaker in registry._breakers.values())
    # AAA keeps a log for names it does not know; no NE asks the alarm system nothing.
    assert (await live.data("aaa", "auth_log", "025000000"))["records"] == []
    assert await live.data("alarms", "active", []) == {"total": 0, "alarms": []}


async def test_billing_account_in_arrears_and_its_bills(live):
    c = await live.sample("arrears_stop", "mobile")
    number, acct_id = c["keys"]["mobile"], c["keys"]["acct_id"]
    truth = await live.truth(number)
    account = await live.data("billing", "account", number)
    assert account["acct_id"] == acct_id and account == await live.data(
        "billing", "account_by_id", acct_id
    )
    assert account["in_arrears"] and account["state"] == "arrears"
    assert account["arrears"] == pytest.approx(truth["state"]["arrears"])
    assert account["balance"] == pytest.approx(truth["state"]["balance"])
    customer = await live.data("crm", "customer_by_number", number)
    mobile = next(p for p in customer["products"] if p["product_type"] == "mobile")
    assert mobile["state"].startswith("arrears")
    bills = (await live.data("billing", "bills", acct_id))["bills"]
    assert bills and all(isinstance(b["total"], float) for b in bills)
    for bill in bills:
        assert bill["total"] == pytest.approx(sum(i["amount"] for i in bill["items"]))
        assert all((i["sp"] is not None) == i["agency_charge"] for i in bill["items"])
    payments = (await live.data("billing", "payments", acct_id))["payments"]
    assert all(isinstance(p["amount"], float) for p in payments)
    assert "credits" in await live.data("billing", "credits", acct_id)
    assert (await live.data("billing", "adjustments", acct_id))["adjustments"] == []
    records = (await live.data("billing", "voice_records", number))["records"]
    assert records and {r["direction"] for r in records} <= {"主叫", "被叫"}


async def test_ocs_state_books_and_data(live):
    stopped = await live.sample("paid_still_stopped", "mobile")
    sub = await live.data("ocs", "subscriber", stopped["keys"]["mobile"])
    facts = await live.facts(stopped["number"], "OCS")
    assert sub["status"] == facts["state"]["actual"] and sub["state"] == "one_way_stopped"
    assert isinstance(sub["balance"], float) and sub["books"][0]["type"]
    capped = await live.sample("data_cap_reached", "mobile")
    data = (await live.data("ocs", "subscriber", capped["keys"]["mobile"]))["data"]
    assert data["blocked"] and data["cap_set_by_user"] and data["remaining_mb"] == 0
    book = await live.sample("bb_ocs_balance_low", "broadband")
    account = await live.data("ocs", "subscriber", book["keys"]["broadband"])
    assert (account["service_type"], account["state"]) == ("broadband", None)
    assert account["books"][0]["balance"] == 0.0


# condition -> the HLR fields (normalised) that must show it
HLR_SIGNS = {
    "hlr_barring_mismatch": {"barring_out": True, "lock_outgoing": True},
    "hlr_incoming_barred": {"barring_in": True, "odb_incoming": "BAIC"},
    "hlr_ts21_missing": {"sms_mt_provisioned": False},
    "hlr_data_barred": {"lock_data": True},
    "hlr_roaming_mismatch": {"intl_roaming_allowed": False},
    "hlr_ocsi_missing": {"o_csi": False},
    "ss_baoc_active": {"ss_baoc_active": True, "barring_out": False},
    "sms_mcef_set": {"mcef": True},
    "sms_mnrf_set": {"mnrf": True},
    "iroam_not_registered": {"ms_purged": True},
    "sms_fail_barred": {"isd_ok": False},
    "iroam_registered_data_fail": {"registered_abroad": True},
    "healthy": {"barring_out": False, "barring_in": False, "sms_mt_provisioned": True},
}
# ground-truth HLR fact field -> normalised key
HLR_FACTS = {
    "gsm_oc": "lock_outgoing",
    "gsm_ic": "lock_incoming",
    "gprslock": "lock_data",
    "odboc": "odb_outgoing",
    "odbic": "odb_incoming",
    "odbroam": "odb_roaming",
    "o_csi": "o_csi",
    "ss_baoc_active": "ss_baoc_active",
    "mcef": "mcef",
    "mnrf": "mnrf",
    "ms_purged": "ms_purged",
    "isd_ok": "isd_ok",
    "vlr_in_hplmn": "vlr_in_hplmn",
    "vlr_in_home_country": "vlr_in_home_country",
}


async def test_hlr_flags_show_what_the_platform_has_against_crm(live):
    for condition, signs in HLR_SIGNS.items():
        c = await live.sample(condition, "mobile")
        msisdn = c["keys"]["mobile"]
        hlr = await live.data("hlr", "subscriber", msisdn)
        assert hlr["msisdn"] == msisdn
        assert {key: hlr[key] for key in signs} == signs, condition
        for field, fact in (await live.facts(c["number"], "HLR")).items():
            if field in HLR_FACTS:
                assert hlr[HLR_FACTS[field]] == fact["actual"] != fact["expected"], field
        products = (await live.data("crm", "customer_by_number", msisdn))["products"]
        mobile = next(p for p in products if p["number"] == msisdn)
        if condition.startswith("hlr_"):  # the platform disagrees with a CRM that says "on"
            assert mobile["state"] == "active"
        if condition == "hlr_roaming_mismatch":
            assert mobile["features"]["intl_roaming"] is True
        if condition == "hlr_barring_mismatch":
            assert mobile["features"]["outgoing"] is True


async def test_aaa_account_sessions_and_auth_log(live):
    mismatch = await live.sample("aaa_state_mismatch", "broadband")
    account = mismatch["keys"]["broadband"]
    user = await live.data("aaa", "user", account)
    crm = await live.data("crm", "customer_by_number", account)
    assert next(p for p in crm["products"] if p["number"] == account)["state"] == "active"
    assert user["state"] != "active"
    assert user["status"] == (await live.facts(account, "AAA"))["status"]["actual"]

    locked = await live.sample("aaa_account_locked", "broadband")
    assert (await live.data("aaa", "user", locked["keys"]["broadband"]))["locked"] is True

    missing = (await live.sample("aaa_account_missing", "broadband"))["keys"]["broadband"]
    assert (await live.call("aaa", "user", missing)).error.code == "not_found"
    log = (await live.data("aaa", "auth_log", missing))["records"]
    assert log[0]["accepted"] is False and log[0]["reason"] == "无此用户"

    stale = (await live.sample("aaa_binding_stale", "broadband"))["keys"]["broadband"]
    fact = (await live.facts(stale, "AAA"))["binding_port"]
    assert (await live.data("aaa", "user", stale))["bound_port"] == fact["actual"]

    hung = (await live.sample("aaa_stale_session", "broadband"))["keys"]["broadband"]
    sessions = (await live.data("aaa", "sessions", hung))["sessions"]
    last = datetime.fromisoformat(sessions[0]["last_update_at"])
    silent = (datetime.now(last.tzinfo) - last).total_seconds()
    assert silent > 3 * sessions[0]["interim_interval_s"]

    wrong = await live.sample("bb_wrong_password", "broadband")
    account, password = wrong["keys"]["broadband"], (await live.truth(wrong["number"]))["secrets"]
    log = (await live.data("aaa", "auth_log", account))["records"]
    assert log[0]["reason"] == "密码错" and not log[0]["accepted"]
    check = await live.data("aaa", "check_password", account, password["broadband_password"])
    assert check == {"account": account, "match": True}
    assert not (await live.data("aaa", "check_password", account, "not-it"))["match"]

    slow = await live.sample("aaa_rate_profile_stale", "broadband")
    crm = await live.data("crm", "customer_by_number", slow["keys"]["broadband"])
    signed = next(p for p in crm["products"] if p["product_type"] == "broadband")["down_mbps"]
    assert (await live.data("aaa", "user", slow["keys"]["broadband"]))["down_mbps"] < signed

    drops = await live.sample("nas_reset_no_alarm", "broadband")
    history = await live.data("aaa", "session_history", drops["keys"]["broadband"])
    assert "NAS-Request" in {s["terminate_cause"] for s in history["sessions"]}
