"""How each IPTV condition shows through the IPTV platform, NMS and alarms."""

from firstcall.sandbox.tests.checks import check
from firstcall.sandbox.tests.checks_aaa import nms
from firstcall.sandbox.tests.views import Views


async def iptv(v: Views) -> dict:
    return (await v.get("iptv"))["account"]


@check("iptv_stb_wrong_port")
async def _(v: Views) -> bool:
    return (await nms(v))["serviceConfig"]["stbLearnedOnPort"] == "LAN1"


@check("iptv_vlan_missing")
async def _(v: Views) -> bool:
    return (await nms(v))["serviceConfig"]["iptvVlan"]["ok"] is False


@check("iptv_stb_mismatch")
async def _(v: Views) -> bool:
    account = await iptv(v)
    return account["boundStb"]["mac"] != account["currentStb"]["mac"]


@check("iptv_account_missing")
async def _(v: Views) -> bool:
    return await v.status("iptv") == 404


@check("iptv_state_mismatch")
async def _(v: Views) -> bool:
    return (await iptv(v))["status"] == "停机" and (await v.product("iptv"))["userStatus"] == "在用"


@check("iptv_platform_alarm")
async def _(v: Views) -> bool:
    return "IPTV CDN/EPG节点" in await v.alarm_types()


@check("iptv_multicast_missing")
async def _(v: Views) -> bool:
    return (await iptv(v))["multicastRight"] is False
