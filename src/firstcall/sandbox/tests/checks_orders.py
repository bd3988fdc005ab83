"""How order, points and SP-subscription conditions show through CRM, SPS, points, VAS, billing."""

from firstcall.sandbox.tests.checks import check
from firstcall.sandbox.tests.views import Views


async def crm_orders(v: Views) -> list[dict]:
    return (await v.get("crm_orders"))["data"]["orders"]


@check("order_not_found", fits=lambda c: bool(c.orders))
async def _(v: Views) -> bool:
    return not await crm_orders(v)


@check("order_failed_rule")
async def _(v: Views) -> bool:
    return any(o["status"] == "失败" and "业务互斥" in o["failReason"] for o in await crm_orders(v))


@check("order_failed_channel")
async def _(v: Views) -> bool:
    return any(o["status"] == "作废" and "渠道" in o["failReason"] for o in await crm_orders(v))


@check("order_pending_effective")
async def _(v: Views) -> bool:
    orders = (await v.get("sps"))["workOrders"]
    return any(o["status"] == "在途" for o in await crm_orders(v)) and any(
        w["status"] == "待发" for w in orders
    )


@check("order_stuck")
async def _(v: Views) -> bool:
    orders = (await v.get("sps"))["workOrders"]
    return any(o["status"] == "在途" for o in await crm_orders(v)) and any(
        w["status"] == "超时" and any(c["result"] == "失败(超时)" for c in w["commands"])
        for w in orders
    )


@check("order_overcharged")
async def _(v: Views) -> bool:
    items = (await v.get("bills"))["bills"][0]["items"]
    return any("原套餐" in i["item_name"] for i in items)


async def subscriptions(v: Views) -> list[dict]:
    return (await v.get("vas"))["result"]["subscriptions"]


async def billed_sp_codes(v: Views) -> set[str]:
    items = (await v.get("bills"))["bills"][0]["items"]
    return {i["sp"]["sp_code"] for i in items if i["agency_charge"]}


@check("vas_no_second_confirmation")
async def _(v: Views) -> bool:
    return any(not s["secondConfirmed"] for s in await subscriptions(v))


@check("vas_charged_without_subscription")
async def _(v: Views) -> bool:
    subscribed = {s["spCode"] for s in await subscriptions(v)}
    return bool(await billed_sp_codes(v) - subscribed)


@check("vas_charged_after_unsubscribe")
async def _(v: Views) -> bool:
    gone = {s["spCode"] for s in await subscriptions(v) if s["status"] == "已退订"}
    return bool(gone & await billed_sp_codes(v))
