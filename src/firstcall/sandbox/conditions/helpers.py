"""Small edits several conditions share."""

from collections.abc import Callable
from datetime import timedelta

from firstcall.sandbox.conditions.spec import Ctx
from firstcall.sandbox.generate_history import order
from firstcall.sandbox.model import CrmOrder
from firstcall.sandbox.platforms.state import Hlr, Nms

ARREARS_STATUS = {"broadband": "欠费停机", "fixed": "欠费停机", "iptv": "欠费停机"}


def put_in_arrears(ctx: Ctx, *, two_way: bool = False) -> None:
    """The account really owes money: every product on it is stopped (mobile 单停 or 双停)."""
    if ctx.resolved:
        return
    amount = ctx.amount(20, 180)
    billing = ctx.p.billing
    billing.arrears, billing.acct_status = amount, "欠费"
    billing.balance = -amount if ctx.c.pay_mode == "预付费" else 0.0
    products = ctx.p.crm.products
    if "mobile" in products:
        products["mobile"].status = "欠费双停" if two_way else "欠费单停"
    for kind, status in ARREARS_STATUS.items():
        if kind in products:
            products[kind].status = status
    ctx.p.points.accrual_paused = True


def add_order(
    ctx: Ctx, product: str, action: str, title: str, *, days: float, **kwargs: str
) -> CrmOrder:
    made = order(
        ctx.c.index,
        7 + len(ctx.p.crm.orders),
        ctx.c.profile,
        ctx.epoch - timedelta(days=days),
        product,
        action,
        title,
        **kwargs,
    )
    ctx.p.crm.orders.insert(0, made)
    return made


def nms_of(ctx: Ctx) -> Nms:
    assert ctx.p.nms is not None
    return ctx.p.nms


def hlr_of(ctx: Ctx) -> Hlr:
    assert ctx.p.hlr is not None
    return ctx.p.hlr


def set_status(kind: str, status: str) -> Callable[[Ctx], None]:
    """A truth effect: CRM says the product has this status (unless a command lifted it)."""

    def truth(ctx: Ctx) -> None:
        if not ctx.resolved and kind in ctx.p.crm.products:
            ctx.p.crm.products[kind].status = status

    return truth
