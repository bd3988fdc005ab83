"""SP subscriptions (VAS) and what the bill charges for them."""

from datetime import timedelta

from firstcall.sandbox import catalog
from firstcall.sandbox.conditions.spec import Condition, Ctx, mobile, vas
from firstcall.sandbox.platforms.state import BillItem

VAS = "F-MOB-VAS S2: "


def _first_sub(ctx: Ctx):
    assert ctx.p.vas
    return ctx.p.vas[0]


def _unconfirmed(ctx: Ctx) -> None:
    _first_sub(ctx).confirm_log = "无"


def _charged_after_unsub(ctx: Ctx) -> None:
    sub = _first_sub(ctx)
    sub.status, sub.unsubscribed = "已退订", ctx.epoch - timedelta(days=75)


def _charged_without_sub(ctx: Ctx) -> None:
    subscribed = {s.sp.sp_code for s in ctx.p.vas or ()}
    sp = next(sp for sp in catalog.SERVICE_PROVIDERS if sp.sp_code not in subscribed)
    bill = ctx.p.billing.bills[0]
    bill.items.append(BillItem(f"{bill.cycle}-19", "代收费-信息费", sp.monthly_fee, True, sp))


CONDITIONS = (
    Condition(
        "vas_no_second_confirmation",
        "an SP subscription has no second-confirmation log",
        0.006,
        vas,
        (VAS + "有订购但无二次确认或证据不全",),
        caller="话费里有不明扣费",
        effect=_unconfirmed,
    ),
    Condition(
        "vas_charged_without_subscription",
        "billed by an SP with no subscription",
        0.004,
        mobile,
        (VAS + "无订购关系却扣费",),
        caller="账单里有个不认识的信息费",
        effect=_charged_without_sub,
    ),
    Condition(
        "vas_charged_after_unsubscribe",
        "still billed after unsubscribing",
        0.004,
        vas,
        (VAS + "已退订仍扣费",),
        caller="早就退订了还在扣钱",
        effect=_charged_after_unsub,
    ),
)
