"""How each condition shows through the systems (account, status, orders, points, VAS)."""

from firstcall.sandbox.tests.checks import check
from firstcall.sandbox.tests.views import Views


async def status(v: Views, kind: str) -> str:
    return (await v.product(kind))["userStatus"]


async def arrears(v: Views) -> float:
    return float((await v.get("billing"))["account"]["arrears"])


@check("arrears_stop")
async def _(v: Views) -> bool:
    account = (await v.get("billing"))["account"]
    products = (await v.get("crm_products"))["data"]["products"]
    return (
        float(account["arrears"]) > 0
        and account["acct_status"] == "欠费"
        and all(p["userStatus"].startswith("欠费") for p in products)
    )


@check("arrears_double_stop")
async def _(v: Views) -> bool:
    hlr = (await v.get("hlr"))["subscriber"]
    return await status(v, "mobile") == "欠费双停" and hlr["LOCK"]["GSM_IC"] == "TRUE"


@check("paid_still_stopped")
async def _(v: Views) -> bool:
    hlr = (await v.get("hlr"))["subscriber"]
    orders = (await v.get("sps"))["workOrders"]
    return (
        await status(v, "mobile") == "欠费单停"
        and await arrears(v) == 0
        and hlr["LOCK"]["GSM_OC"] == "TRUE"
        and any(w["action"] == "复机" and w["status"] == "超时" for w in orders)
    )


@check("antifraud_shutdown")
async def _(v: Views) -> bool:
    return await status(v, "mobile") == "涉诈关停"


@check("realname_pending_shutdown")
async def _(v: Views) -> bool:
    customer = (await v.get("crm_customer"))["data"]
    return (
        customer["realPersonVerify"] == "待核验" and await status(v, "mobile") == "实名待核验关停"
    )


@check("mob_reported_lost")
async def _(v: Views) -> bool:
    return await status(v, "mobile") == "挂失停机"


@check("mob_user_stop")
async def _(v: Views) -> bool:
    hlr = (await v.get("hlr"))["subscriber"]
    return await status(v, "mobile") == "用户申请停机（停机保号）" and hlr["ODB"]["ODBOC"] == "BAOC"


async def bb_and_aaa(v: Views, crm: str, aaa: str) -> bool:
    return (
        await status(v, "broadband") == crm
        and (await v.get("aaa"))["user"]["Account-Status"] == aaa
    )


@check("bb_expired")
async def _(v: Views) -> bool:
    return await bb_and_aaa(v, "到期停机", "到期")


@check("bb_user_stop")
async def _(v: Views) -> bool:
    return await bb_and_aaa(v, "用户申请停机", "停机")


@check("bb_removed")
async def _(v: Views) -> bool:
    return await bb_and_aaa(v, "拆机", "注销")


@check("bb_install_pending")
async def _(v: Views) -> bool:
    orders = (await v.get("sps"))["workOrders"]
    return (
        await status(v, "broadband") == "新装在途"
        and await v.status("aaa") == 404
        and any(w["status"] == "待装维" for w in orders)
    )


@check("bb_expiry_reminder")
async def _(v: Views) -> bool:
    return (await v.get("billing"))["account"]["reminder"] == "到期提醒"
