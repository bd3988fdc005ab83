"""Broadband product status in CRM: expiry, stops, removal, installation pending."""

from firstcall.sandbox.conditions.helpers import add_order, set_status
from firstcall.sandbox.conditions.spec import Condition, Ctx, broadband


def _expired(ctx: Ctx) -> None:
    product = ctx.p.crm.products["broadband"]
    if ctx.resolved:  # renewed for another year
        product.details["expires"] = ctx.epoch.date().replace(year=ctx.epoch.year + 1).isoformat()
        return
    product.details["expires"] = ctx.epoch.date().replace(day=1).isoformat()
    product.status = "到期停机"


def _reminder(ctx: Ctx) -> None:
    product = ctx.p.crm.products["broadband"]
    product.details["expires"] = ctx.epoch.date().isoformat()
    ctx.p.billing.reminder = "到期提醒"


def _install(ctx: Ctx) -> None:
    ctx.p.crm.products["broadband"].status = "新装在途"
    add_order(ctx, "broadband", "新装", "宽带新装", days=4, status="在途", promised="装机预约")


CONDITIONS = (
    Condition(
        "bb_expired",
        "yearly broadband package expired and not renewed (到期停机)",
        0.004,
        broadband,
        ("F-BB-691 S2: 欠费停机或包年到期未续",),
        caller="宽带突然拨不上，报691",
        truth=_expired,
        fixed_by=("payment",),
    ),
    Condition(
        "bb_user_stop",
        "broadband stopped at the customer's request (用户申请停机)",
        0.002,
        broadband,
        ("F-BB-691 S2: 用户申请停机或已拆机",),
        caller="宽带拨号报691",
        truth=set_status("broadband", "用户申请停机"),
        fixed_by=("resume",),
    ),
    Condition(
        "bb_removed",
        "broadband already removed (已拆机)",
        0.002,
        broadband,
        ("F-BB-691 S2: 用户申请停机或已拆机",),
        caller="家里宽带不能用了",
        truth=set_status("broadband", "拆机"),
    ),
    Condition(
        "bb_install_pending",
        "new broadband not yet installed: order waits for the field team",
        0.004,
        broadband,
        (
            "F-BB-691 S2: 新装未竣工",
            "F-MOB-ORDER S1: 在途",
            "F-MOB-ORDER S2: 需装维施工（新装/移机）",
        ),
        caller="办了宽带好几天了还不能用",
        truth=_install,
    ),
    Condition(
        "bb_expiry_reminder",
        "broadband in its expiry-reminder period: web pages redirected",
        0.004,
        broadband,
        ("F-BB-WEB S1: 欠费提醒或到期提醒",),
        caller="能连上但网页都跳到一个提醒页",
        truth=_reminder,
    ),
)
