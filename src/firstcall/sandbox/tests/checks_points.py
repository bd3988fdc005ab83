"""How each points condition shows through the points system and billing."""

from datetime import datetime, timedelta

from firstcall.sandbox.tests.checks import check
from firstcall.sandbox.tests.checks_account import arrears
from firstcall.sandbox.tests.conftest import NOW
from firstcall.sandbox.tests.views import Views


async def redemptions(v: Views) -> list[dict]:
    return (await v.get("redemptions"))["data"]["redemptions"]


async def failed_with(v: Views, reason: str) -> dict | None:
    return next(
        (
            r
            for r in await redemptions(v)
            if r["status"] == "失败" and (r["failReason"] or "").startswith(reason)
        ),
        None,
    )


@check("points_fail_insufficient")
async def _(v: Views) -> bool:
    return await failed_with(v, "积分不足") is not None


@check("points_fail_arrears")
async def _(v: Views) -> bool:
    return await failed_with(v, "用户状态异常（欠费") is not None and await arrears(v) > 0


@check("points_fail_status_stale")
async def _(v: Views) -> bool:
    found = await failed_with(v, "用户状态异常")
    return found is not None and found["failReason"] == "用户状态异常" and await arrears(v) == 0


@check("points_fail_stock_refunded")
async def _(v: Views) -> bool:
    found = await failed_with(v, "库存不足")
    return found is not None and found["pointsRefunded"] is True


@check("points_fail_stock_not_refunded")
async def _(v: Views) -> bool:
    found = await failed_with(v, "商品已下架")
    frozen = (await v.get("points"))["data"]["frozen"]
    return found is not None and found["pointsRefunded"] is False and frozen > 0


@check("points_fail_system")
async def _(v: Views) -> bool:
    return await failed_with(v, "系统错误") is not None


def placed(r: dict) -> datetime:
    return datetime.fromisoformat(r["placedTime"])


@check("points_benefit_pending")
async def _(v: Views) -> bool:
    return any(
        r["status"] == "处理中" and NOW - placed(r) < timedelta(hours=24)
        for r in await redemptions(v)
    )


@check("points_benefit_overdue")
async def _(v: Views) -> bool:
    return any(
        r["status"] == "处理中" and NOW - placed(r) > timedelta(days=3)
        for r in await redemptions(v)
    )


@check("points_shipping_in_transit")
async def _(v: Views) -> bool:
    return any(r["status"] == "已发货" and r["logistics"] == "运输中" for r in await redemptions(v))


@check("points_shipping_overdue")
async def _(v: Views) -> bool:
    return any(
        r["status"] == "已发货" and (r["logistics"] or "").startswith("异常")
        for r in await redemptions(v)
    )


@check("points_gift_delivered")
async def _(v: Views) -> bool:
    return any(r["logistics"] == "已签收（本人）" for r in await redemptions(v))
