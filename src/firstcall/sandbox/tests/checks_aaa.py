"""How each AAA condition shows through AAA, RES, OCS and alarms."""

from collections import Counter
from datetime import datetime, timedelta

from firstcall.sandbox.tests.checks import check
from firstcall.sandbox.tests.conftest import NOW
from firstcall.sandbox.tests.views import Views


async def last_auth(v: Views) -> dict:
    return (await v.get("auth"))["records"][0]


async def reason(v: Views) -> str | None:
    return (await last_auth(v))["Reason"]


async def sessions(v: Views) -> list[dict]:
    return (await v.get("sessions"))["sessions"] if await v.status("sessions") == 200 else []


async def bb(v: Views) -> dict:
    return await v.product("broadband")


async def user(v: Views) -> dict:
    return (await v.get("aaa"))["user"]


async def nms(v: Views) -> dict:
    return (await v.get("nms"))["result"]


async def res(v: Views) -> dict:
    return (await v.get("res"))["data"]


async def causes(v: Views) -> Counter:
    return Counter(h["Acct-Terminate-Cause"] for h in (await v.get("history"))["sessions"])


def recent(record: dict, within: timedelta) -> bool:
    return NOW - datetime.fromisoformat(record["Event-Time"]) < within


@check("aaa_account_missing")
async def _(v: Views) -> bool:
    return await v.status("aaa") == 404 and await reason(v) == "无此用户"


@check("aaa_state_mismatch")
async def _(v: Views) -> bool:
    return (await bb(v))["userStatus"] == "在用" and (await user(v))["Account-Status"] == "停机"


@check("bb_wrong_password")
async def _(v: Views) -> bool:
    return await reason(v) == "密码错"


@check("aaa_binding_stale")
async def _(v: Views) -> bool:
    vlan = (await res(v))["vlan"]
    actual = (await last_auth(v))["NAS-Port-Id"]
    bound = (await user(v))["Binding"]["NAS-Port-Id"]
    on_res = f"vlanid={vlan['svlan']};vlanid2={vlan['cvlan']};"
    return await reason(v) == "绑定校验错" and on_res in actual and on_res not in bound


@check("res_port_mismatch")
async def _(v: Views) -> bool:
    vlan = (await res(v))["vlan"]
    actual = (await last_auth(v))["NAS-Port-Id"]
    bound = (await user(v))["Binding"]["NAS-Port-Id"]
    on_res = f"vlanid={vlan['svlan']};vlanid2={vlan['cvlan']};"
    return await reason(v) == "绑定校验错" and on_res in bound and on_res not in actual


@check(
    "bb_own_router_session",
    fits=lambda c: c.broadband is not None and c.broadband.cpe_mode == "桥接",
)
async def _(v: Views) -> bool:
    ont_mac = (await bb(v))["ont"]["mac"]
    return await reason(v) == "超出限制的用户数" and any(
        s["Calling-Station-Id"] == ont_mac for s in await sessions(v)
    )


@check("aaa_stale_session")
async def _(v: Views) -> bool:
    return any(
        NOW - datetime.fromisoformat(s["Acct-Last-Update"])
        > timedelta(seconds=3 * s["Acct-Interim-Interval"])
        for s in await sessions(v)
    )


@check("aaa_session_hijack")
async def _(v: Views) -> bool:
    ont_mac = (await bb(v))["ont"]["mac"]
    bras = (await res(v))["bras"]["neId"]
    return await reason(v) == "超出限制的用户数" and any(
        s["Calling-Station-Id"] != ont_mac and s["NAS-Id"] != bras for s in await sessions(v)
    )


@check("aaa_account_locked")
async def _(v: Views) -> bool:
    return (await user(v))["Account-Locked"] is True and await reason(v) == "状态错"


@check("aaa_attr_invalid")
async def _(v: Views) -> bool:
    return (await user(v))["Access-Type-Limit"] != (await bb(v))["accessType"]


@check("bb_ocs_balance_low")
async def _(v: Views) -> bool:
    book = (await v.get("ocs_bb"))["subscriber"]["accountBooks"][0]
    return await reason(v) == "OCS_Err" and book["balanceFen"] == 0


@check("bb_ocs_error")
async def _(v: Views) -> bool:
    book = (await v.get("ocs_bb"))["subscriber"]["accountBooks"][0]
    return await reason(v) == "OCS_Err" and book["balanceFen"] > 0


@check("bras_alarm")
async def _(v: Views) -> bool:
    accepted = (await last_auth(v))["Packet-Type"] == "Access-Accept"
    return "BRAS" in await v.alarm_types() and accepted and not await sessions(v)


@check("bras_authz_error")
async def _(v: Views) -> bool:
    record = await last_auth(v)
    return (
        record["Packet-Type"] == "Access-Accept"
        and recent(record, timedelta(hours=1))
        and not await sessions(v)
        and "BRAS" not in await v.alarm_types()
    )


@check("aaa_no_auth_requests")
async def _(v: Views) -> bool:
    return not recent(await last_auth(v), timedelta(days=2)) and not await sessions(v)


@check("bb_speedup_session_old")
async def _(v: Views) -> bool:
    signed = (await bb(v))["downMbps"]
    live = await sessions(v)
    return (
        (await user(v))["Rate-Profile"]["down-mbps"] == signed
        and bool(live)
        and all(s["Rate-Down-Mbps"] < signed for s in live)
    )


@check("aaa_rate_profile_stale")
async def _(v: Views) -> bool:
    return (await user(v))["Rate-Profile"]["down-mbps"] < (await bb(v))["downMbps"]


@check("nas_reset_no_alarm")
async def _(v: Views) -> bool:
    stops = Counter(
        h["Acct-Stop-Time"]
        for h in (await v.get("history"))["sessions"]
        if h["Acct-Terminate-Cause"] == "NAS-Request"
    )
    return bool(stops) and max(stops.values()) >= 3 and "BRAS" not in await v.alarm_types()
