"""How each mobile condition shows through HLR, OCS, PCRF, SMSC, alarms and GIS."""

from firstcall.sandbox.tests.checks import check
from firstcall.sandbox.tests.views import Views


async def hlr(v: Views) -> dict:
    return (await v.get("hlr"))["subscriber"]


async def mobile(v: Views) -> dict:
    return await v.product("mobile")


async def normal(v: Views) -> bool:
    return (await mobile(v))["userStatus"] == "正常"


async def ocs(v: Views) -> dict:
    return (await v.get("ocs"))["subscriber"]


async def pcrf(v: Views) -> dict:
    return (await v.get("pcrf"))["subscriber"]


@check("hlr_barring_mismatch")
async def _(v: Views) -> bool:
    return await normal(v) and (await hlr(v))["LOCK"]["GSM_OC"] == "TRUE"


@check("hlr_ocsi_missing")
async def _(v: Views) -> bool:
    return (await ocs(v))["payType"] == "prepaid" and (await hlr(v))["CAMEL"]["O-CSI"] is None


@check("ss_baoc_active")
async def _(v: Views) -> bool:
    return (await hlr(v))["SS"]["BAOC"] == "PROV,ACT"


@check("cell_alarm")
async def _(v: Views) -> bool:
    return "gNodeB" in await v.alarm_types()


@check("weak_coverage")
async def _(v: Views) -> bool:
    return (await v.get("gis"))["data"]["coverageLevel"] == "弱覆盖"


@check("trunk_route_alarm")
async def _(v: Views) -> bool:
    return "关口局" in await v.alarm_types()


@check("hlr_incoming_barred")
async def _(v: Views) -> bool:
    return await normal(v) and (await hlr(v))["LOCK"]["GSM_IC"] == "TRUE"


@check("hlr_ts21_missing")
async def _(v: Views) -> bool:
    return (await mobile(v))["features"]["sms"] and "TS21 SMS MT" not in (await hlr(v))[
        "BasicService"
    ]["TS"]


@check("mob_data_disabled")
async def _(v: Views) -> bool:
    return (await mobile(v))["features"]["data"] is False and (await hlr(v))["GPRS"] is None


@check("data_cap_reached")
async def _(v: Views) -> bool:
    data = (await ocs(v))["data"]
    return data["capSetByUser"] and data["blocked"] and data["remainingMb"] == 0


@check("pcrf_throttled")
async def _(v: Views) -> bool:
    policy = await pcrf(v)
    return (
        (await ocs(v))["data"]["throttled"]
        and policy["throttled"]
        and policy["usagePercent"] >= 100
    )


@check("hlr_data_barred")
async def _(v: Views) -> bool:
    return await normal(v) and (await hlr(v))["LOCK"]["GPRSLOCK"] == "TRUE"


@check("pcrf_policy_mismatch")
async def _(v: Views) -> bool:
    policy = await pcrf(v)
    return policy["throttled"] and policy["usagePercent"] < 100


@check("iroam_not_opened", fits=lambda c: c.mobile is not None and c.mobile.roaming)
async def _(v: Views) -> bool:
    return (await mobile(v))["features"]["intl_roaming"] is False


@check("hlr_roaming_mismatch", fits=lambda c: c.mobile is not None and not c.mobile.roaming)
async def _(v: Views) -> bool:
    return (await mobile(v))["features"]["intl_roaming"] and (await hlr(v))["ODB"][
        "ODBROAM"
    ] != "NOBAR"


async def abroad(v: Views) -> bool:
    return (await hlr(v))["Dynamic"]["VLRInHomeCountry"] == "FALSE"


@check("iroam_data_capped")
async def _(v: Views) -> bool:
    pack = (await ocs(v))["roamingPack"]
    return await abroad(v) and pack is not None and pack["capped"]


@check("iroam_registered_data_fail")
async def _(v: Views) -> bool:
    pack = (await ocs(v))["roamingPack"]
    return await abroad(v) and pack is not None and not pack["capped"]


@check("iroam_not_registered")
async def _(v: Views) -> bool:
    dynamic = (await hlr(v))["Dynamic"]
    return (await mobile(v))["features"]["intl_roaming"] and dynamic["MsPurgedForNonGprs"] == "TRUE"
