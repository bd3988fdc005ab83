"""CRM orders and their provisioning, and loyalty-points redemptions."""

import dataclasses

from firstcall.sandbox.conditions.helpers import add_order
from firstcall.sandbox.conditions.spec import Condition, Ctx, anyone, mobile
from firstcall.sandbox.platforms.state import BillItem

FLOW_PACK = "国内流量包5GB（月）"


def _no_orders(ctx: Ctx) -> None:
    ctx.p.crm.orders.clear()


def _failed(status: str, reason: str):
    def truth(ctx: Ctx) -> None:
        add_order(
            ctx, "mobile", "变更", "订购国内流量包10GB", days=1, status=status, fail_reason=reason
        )

    return truth


def _pending(ctx: Ctx) -> None:
    add_order(
        ctx,
        "mobile",
        "变更",
        "套餐变更为5G畅享199元套餐",
        days=2,
        status="在途",
        promised="次月1日生效",
    )


def _pack_ordered(ctx: Ctx) -> None:
    """The expected world: the pack was ordered three days ago and is active everywhere."""
    add_order(ctx, "mobile", "变更", "订购" + FLOW_PACK, days=3)
    ctx.p.crm.products["mobile"].details["addons"].append(FLOW_PACK)


def _stuck(ctx: Ctx) -> None:
    order = ctx.p.crm.orders[0]
    ctx.p.crm.orders[0] = dataclasses.replace(order, status="在途")
    ctx.p.crm.products["mobile"].details["addons"].remove(FLOW_PACK)
    assert ctx.p.ocs is not None
    ctx.p.ocs.addons.remove(FLOW_PACK)
    wo = next(w for w in ctx.p.sps if w.crm_order_id == order.order_id)
    wo.status, wo.retries = "超时", 1
    results = {"HLR": "成功", "OCS": "失败(超时)", "PCRF": "待发"}  # PCRF waits behind OCS
    wo.commands = [{**command, "result": results[command["ne"]]} for command in wo.commands]


def _plan_changed(ctx: Ctx) -> None:
    add_order(
        ctx,
        "mobile",
        "变更",
        "套餐变更为" + ctx.c.mobile.plan.name,  # type: ignore[union-attr]
        days=45,
        promised="次月1日生效",
    )


def _billed_old_plan(ctx: Ctx) -> None:
    bill = ctx.p.billing.bills[0]
    fee = next(item for item in bill.items if item.name == "套餐月基本费")
    bill.items.remove(fee)
    bill.items.insert(0, BillItem(fee.item_id, "套餐月基本费（原套餐5G畅享199元套餐）", 199.0))


ORDER = "F-MOB-ORDER "
CONDITIONS = (
    Condition(
        "order_not_found",
        "no CRM order at all for the customer's claim",
        0.003,
        anyone,
        (ORDER + "S1: 未找到订单",),
        caller="上周办的业务没生效",
        truth=_no_orders,
    ),
    Condition(
        "order_failed_rule",
        "the order failed a business rule (mutually exclusive)",
        0.003,
        mobile,
        (ORDER + "S1: 订单失败或作废", ORDER + "S4: 规则限制"),
        caller="办的流量包没到账",
        truth=_failed("失败", "业务互斥：已订购同类流量包，不能重复订购"),
    ),
    Condition(
        "order_failed_channel",
        "the order was cancelled after a channel error",
        0.003,
        mobile,
        (ORDER + "S1: 订单失败或作废", ORDER + "S4: 渠道操作差错"),
        caller="营业厅办的业务没生效",
        truth=_failed("作废", "渠道操作差错：受理工号选错销售品，已作废"),
    ),
    Condition(
        "order_pending_effective",
        "the order takes effect next month (queued)",
        0.003,
        mobile,
        (ORDER + "S1: 在途", ORDER + "S2: 未到生效时间"),
        caller="改了套餐没生效",
        truth=_pending,
    ),
    Condition(
        "order_stuck",
        "order stuck in provisioning: the OCS command timed out",
        0.006,
        mobile,
        (ORDER + "S1: 在途", ORDER + "S2: 指令失败或超时", ORDER + "A-RESEND: 成功"),
        caller="三天前订的流量包还没到",
        truth=_pack_ordered,
        effect=_stuck,
        fixed_by=("resend_order",),
    ),
    Condition(
        "order_overcharged",
        "plan changed, but the bill still charged the old plan",
        0.003,
        mobile,
        (ORDER + "S1: 已竣工", ORDER + "S3: 网元已生效", ORDER + "S5: 多收费"),
        caller="改了便宜套餐还按原来收费",
        truth=_plan_changed,
        effect=_billed_old_plan,
    ),
)
