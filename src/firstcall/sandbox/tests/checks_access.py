"""How each access-line condition shows through NMS, AAA session history and alarms."""

from collections import Counter

from firstcall.sandbox.tests.checks import check
from firstcall.sandbox.tests.checks_aaa import bb, causes, nms, res, sessions
from firstcall.sandbox.tests.views import Views


def physical(c: Counter) -> bool:
    return c["Lost-Carrier"] + c["Port-Error"] > sum(c.values()) / 2


async def line_poor(v: Views) -> bool:
    line = await nms(v)
    if line["accessType"] == "ADSL":
        return line["dsl"]["snrMarginDownDb"] <= 6
    if line["accessType"] == "FTTH":
        return line["onu"]["rxPowerDbm"] is not None and line["onu"]["rxPowerDbm"] < -25
    return "半双工" in line["switchPort"]["speedDuplex"]


@check("line_quality_poor")
async def _(v: Views) -> bool:
    return physical(await causes(v)) and await line_poor(v)


@check("cpe_unstable")
async def _(v: Views) -> bool:
    return physical(await causes(v)) and not await line_poor(v)


@check("bb_idle_timeouts")
async def _(v: Views) -> bool:
    c = await causes(v)
    return c["Idle-Timeout"] + c["Session-Timeout"] > sum(c.values()) / 2


@check("bb_user_request_drops")
async def _(v: Views) -> bool:
    c = await causes(v)
    return sum(c.values()) >= 8 and c["User-Request"] == sum(c.values())


@check("uplink_congestion")
async def _(v: Views) -> bool:
    return any("带宽利用率" in a["alarmName"] for a in (await v.get("alarms"))["alarms"])


@check("access_alarm")
async def _(v: Views) -> bool:
    access = (await res(v))["accessDevice"]["neId"]
    return any(
        a["neId"] == access and "利用率" not in a["alarmName"]
        for a in (await v.get("alarms"))["alarms"]
    )


async def dsl(v: Views) -> dict:
    return (await nms(v))["dsl"]


@check("adsl_line_fault")
async def _(v: Views) -> bool:
    return (await dsl(v))["portState"] == "去激活" and (await v.get("line_test"))["result"][
        "result"
    ] != "合格"


@check("adsl_splitter_fault")
async def _(v: Views) -> bool:
    return (await dsl(v))["portState"] == "去激活" and (await v.get("line_test"))["result"][
        "result"
    ] == "合格"


@check(
    "ont_route_mode",
    fits=lambda c: (
        c.broadband is not None and c.broadband.cpe_mode == "桥接" and c.broadband.online
    ),
)
async def _(v: Views) -> bool:
    ont = (await bb(v))["ont"]
    return ont["mode"] == "路由" and any(
        s["Calling-Station-Id"] == ont["mac"] for s in await sessions(v)
    )


async def onu(v: Views) -> dict:
    return (await nms(v))["onu"]


@check("onu_power_off")
async def _(v: Views) -> bool:
    return "掉电" in ((await onu(v))["offlineReason"] or "")


@check("weak_optical_power")
async def _(v: Views) -> bool:
    o = await onu(v)
    return o["state"] == "离线" and o["offlineReason"] == "LOS" and o["rxPowerDbm"] < -27


@check("onu_loid_mismatch")
async def _(v: Views) -> bool:
    return (await onu(v))["registration"] == "LOID不匹配"


@check("onu_vlan_error")
async def _(v: Views) -> bool:
    return (await nms(v))["serviceConfig"]["internetVlan"]["ok"] is False


@check("lan_port_fault")
async def _(v: Views) -> bool:
    return (await nms(v))["switchPort"]["state"] == "down"


@check("dns_alarm")
async def _(v: Views) -> bool:
    return "DNS" in await v.alarm_types()
