"""Points redemptions that succeeded: benefits to credit, gifts on the way or delivered."""

from datetime import timedelta

from firstcall.sandbox import catalog
from firstcall.sandbox.conditions.points import PTS, redemption
from firstcall.sandbox.conditions.spec import Condition, Ctx, anyone


def _benefit(ctx: Ctx, days: float) -> dict:
    return redemption(ctx, catalog.GIFTS[0], ctx.epoch - timedelta(days=days), "已到账")


def _benefit_pending(ctx: Ctx) -> None:
    redemption(ctx, catalog.GIFTS[0], ctx.ago(hours=2), "处理中")


def _benefit_overdue_truth(ctx: Ctx) -> None:
    record = _benefit(ctx, 5)
    ctx.p.billing.credits.insert(
        0,
        {
            "time": (record["placed"] + timedelta(hours=20)).isoformat(timespec="seconds"),
            "source": "积分兑换 " + record["order_id"],
            "amount": 30.0,
            "note": record["gift"],
        },
    )


def _benefit_overdue(ctx: Ctx) -> None:
    ctx.p.points.redemptions[0]["status"] = "处理中"
    ctx.p.billing.credits.pop(0)


def _shipped(days: float, logistics: str):
    def truth(ctx: Ctx) -> None:
        redemption(
            ctx,
            catalog.GIFTS[4],
            ctx.ago(days=days),
            "已发货",
            tracking=f"顺丰 SF{ctx.c.index:010d}",
            logistics=logistics,
        )

    return truth


def _delivered(ctx: Ctx) -> None:
    redemption(
        ctx,
        catalog.GIFTS[3],
        ctx.ago(days=9),
        "已签收",
        tracking=f"中通 ZT{ctx.c.index:010d}",
        logistics="已签收（本人）",
    )


CONDITIONS = (
    Condition(
        "points_benefit_pending",
        "airtime redeemed two hours ago, within its promise",
        0.002,
        anyone,
        (PTS + "S1: 兑换成功但权益未到账（话费/流量）", PTS + "S4: 在承诺时限内"),
        caller="兑换的话费没到账",
        truth=_benefit_pending,
    ),
    Condition(
        "points_benefit_overdue",
        "airtime redeemed five days ago, still not credited",
        0.003,
        anyone,
        (
            PTS + "S1: 兑换成功但权益未到账（话费/流量）",
            PTS + "S4: 超时未到账",
            PTS + "A-RESEND: 成功",
        ),
        caller="兑换的话费好几天了还没到",
        truth=_benefit_overdue_truth,
        effect=_benefit_overdue,
        fixed_by=("resend_points",),
    ),
    Condition(
        "points_shipping_in_transit",
        "a gift is on its way within the promise",
        0.002,
        anyone,
        (PTS + "S1: 实物已发货但未收到或超时", PTS + "S5: 在途未超时"),
        caller="兑换的礼品还没收到",
        truth=_shipped(2, "运输中"),
    ),
    Condition(
        "points_shipping_overdue",
        "a gift is overdue: the parcel is stuck",
        0.002,
        anyone,
        (PTS + "S1: 实物已发货但未收到或超时", PTS + "S5: 超时或物流异常"),
        caller="礼品半个月了还没到",
        truth=_shipped(18, "异常：包裹滞留，已超承诺时限"),
    ),
    Condition(
        "points_gift_delivered",
        "a physical gift was delivered last week (the caller disputes quality or the item)",
        0.002,
        anyone,
        (PTS + "S1: 礼品质量或与描述不符", PTS + "S1: 兑换商品或数量与客户要求不符"),
        caller="收到的礼品有质量问题 / 不是我兑换的那个",
        truth=_delivered,
    ),
)
