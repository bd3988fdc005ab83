"""Loyalty-points redemptions: failures, benefits not credited, gifts on the way."""

from datetime import datetime
from typing import Any

from firstcall.sandbox import catalog
from firstcall.sandbox.conditions.helpers import put_in_arrears
from firstcall.sandbox.conditions.spec import Condition, Ctx, anyone

PTS = "F-MOB-POINTS "


def redemption(ctx: Ctx, gift: catalog.Gift, placed: datetime, status: str, **extra: Any) -> dict:
    record: dict[str, Any] = {
        "order_id": f"JF{placed:%Y%m%d}-{ctx.c.index:07d}9",
        "gift": gift.name,
        "kind": gift.kind,
        "points": gift.points,
        "placed": placed,
        "channel": "APP",
        "status": status,
        "reason": "",
        "tracking": "",
        "logistics": "",
        "promised": "24小时内到账" if gift.kind != "实物" else "7个工作日内送达",
        "points_refunded": None,
    }
    record.update(extra)
    ctx.p.points.redemptions.insert(0, record)
    return record


def _failed_redemption(
    reason: str, *, refunded: bool | None = None, frozen: bool = False, poor: bool = False
):
    def effect(ctx: Ctx) -> None:
        gift = catalog.GIFTS[3] if "库存" in reason or "下架" in reason else catalog.GIFTS[0]
        redemption(ctx, gift, ctx.ago(days=2), "失败", reason=reason, points_refunded=refunded)
        if frozen:
            ctx.p.points.frozen = gift.points
        if poor:
            ctx.p.points.available = 800

    return effect


def _in_arrears_failed(ctx: Ctx) -> None:
    """The arrears are real, and the failed order stays in the history once they are paid."""
    put_in_arrears(ctx)
    _failed_redemption("用户状态异常（欠费停机）")(ctx)


CONDITIONS = (
    Condition(
        "points_fail_insufficient",
        "redemption failed: not enough points (expired)",
        0.003,
        anyone,
        (PTS + "S1: 兑换订单失败", PTS + "S2: 积分不足或已过期清零"),
        caller="积分兑换失败",
        effect=_failed_redemption("积分不足（2022年积分已清零）", poor=True),
    ),
    Condition(
        "points_fail_arrears",
        "redemption failed: the account is in arrears",
        0.003,
        anyone,
        (PTS + "S2: 用户状态不符（欠费/停机）", PTS + "S3: 欠费停机"),
        caller="积分兑换失败",
        truth=_in_arrears_failed,
        fixed_by=("payment",),
    ),
    Condition(
        "points_fail_status_stale",
        "redemption failed on a status that is normal now",
        0.003,
        anyone,
        (PTS + "S2: 用户状态不符（欠费/停机）", PTS + "S3: 状态正常"),
        caller="积分兑换失败",
        effect=_failed_redemption("用户状态异常"),
    ),
    Condition(
        "points_fail_stock_refunded",
        "redemption failed: out of stock, points returned",
        0.002,
        anyone,
        (PTS + "S2: 库存不足或商品下架", PTS + "S6: 已退回"),
        caller="兑换的礼品说失败了",
        effect=_failed_redemption("库存不足", refunded=True),
    ),
    Condition(
        "points_fail_stock_not_refunded",
        "item withdrawn, points still frozen",
        0.002,
        anyone,
        (PTS + "S2: 库存不足或商品下架", PTS + "S6: 未退回"),
        caller="积分被扣了礼品没有",
        effect=_failed_redemption("商品已下架", refunded=False, frozen=True),
    ),
    Condition(
        "points_fail_system",
        "redemption failed: system error",
        0.002,
        anyone,
        (PTS + "S2: 系统错误或原因不明",),
        caller="积分兑换失败",
        effect=_failed_redemption("系统错误（订单同步超时）"),
    ),
)
