"""Broadband AAA sessions: who is on line, what AAA accepts, the rate a session got."""

from firstcall.sandbox import catalog
from firstcall.sandbox.conditions.helpers import add_order
from firstcall.sandbox.conditions.helpers_aaa import dialler_mac, reject, session
from firstcall.sandbox.conditions.spec import Condition, Ctx, broadband
from firstcall.sandbox.rng import mac

LOG = "F-BB-691 S4: "


def _own_router_truth(ctx: Ctx) -> None:
    ctx.p.crm.products["broadband"].details["cpe_mode"] = "路由"


def _over_limit(ctx: Ctx, *, mac_: str, stale: bool = False, foreign: bool = False) -> None:
    aaa, b = ctx.p.aaa, ctx.c.broadband
    assert aaa is not None and b is not None
    started = ctx.ago(days=2, hours=3) if stale else ctx.ago(hours=5)
    other_bras = f"{ctx.c.profile.city.code}-BRAS-00{1 + (int(b.line.bras_id[-1]) % 5)}"
    aaa.sessions = [
        session(
            ctx,
            mac=mac_,
            started=started,
            stale_since=ctx.ago(hours=7) if stale else None,
            nas_ip="10.99.12.7" if foreign else None,
            port="slot=5;subslot=1;port=3;vlanid=2999;vlanid2=3999;" if foreign else None,
            bras=other_bras if foreign else None,
            suffix="00a1" if foreign else "0001",
        )
    ]
    reject(ctx, "超出限制的用户数", mac=b.pc_mac)


def _own_router(ctx: Ctx) -> None:
    assert ctx.c.broadband is not None
    _over_limit(ctx, mac_=ctx.c.broadband.cpe_mac)


def _stale(ctx: Ctx) -> None:
    _over_limit(ctx, mac_=dialler_mac(ctx), stale=True)
    if ctx.p.nms and ctx.p.nms.access == "FTTH":
        ctx.p.nms.onu_events[:0] = [
            (ctx.ago(hours=6, minutes=50), "上线"),
            (ctx.ago(hours=7, minutes=1), "下线（掉电 dying-gasp）"),
        ]


def _hijack(ctx: Ctx) -> None:
    _over_limit(ctx, mac_=mac(ctx.rng, catalog.FOREIGN_OUI), foreign=True)


def _speedup_truth(ctx: Ctx) -> None:
    add_order(ctx, "broadband", "变更", "宽带提速", days=1)


def _old_rate(ctx: Ctx) -> int:
    product = ctx.p.crm.products["broadband"]
    return catalog.SPEED_UPGRADE_FROM.get(product.details["down_mbps"], 100)


def _session_old_rate(ctx: Ctx) -> None:
    ctx.p.aaa.sessions = [  # type: ignore[union-attr]
        session(ctx, mac=dialler_mac(ctx), started=ctx.ago(days=3), down_mbps=_old_rate(ctx))
    ]


def _profile_old_rate(ctx: Ctx) -> None:
    assert ctx.p.aaa is not None
    ctx.p.aaa.down_mbps = _old_rate(ctx)
    _session_old_rate(ctx)


CONDITIONS = (
    Condition(
        "bb_own_router_session",
        "the customer's router already holds the only session",
        0.004,
        broadband,
        (LOG + "超出限制的用户数", "F-BB-691 S7: 客户自己的路由器/光猫已拨号"),
        caller="电脑拨号报691，手机WiFi能上网",
        truth=_own_router_truth,
        effect=_own_router,
    ),
    Condition(
        "aaa_stale_session",
        "a stale session (no accounting for hours) blocks dialling",
        0.005,
        broadband,
        (LOG + "超出限制的用户数", "F-BB-691 S7: 残留会话", "F-BB-ERRCODE S2: 有残留会话"),
        caller="停电后再拨号就报691/619",
        effect=_stale,
        fixed_by=("kick",),
    ),
    Condition(
        "aaa_session_hijack",
        "someone else is on line with the account (foreign MAC/BRAS)",
        0.002,
        broadband,
        (LOG + "超出限制的用户数", "F-BB-691 S7: 疑似盗用"),
        caller="拨号报691，家里没人用",
        effect=_hijack,
        fixed_by=("reset_password",),
    ),
    Condition(
        "bb_speedup_session_old",
        "speed upgraded but the session predates it",
        0.004,
        broadband,
        ("F-BB-SLOW S3: 低于签约且新模板已在AAA",),
        caller="提速后网速没变",
        truth=_speedup_truth,
        effect=_session_old_rate,
        fixed_by=("kick",),
    ),
    Condition(
        "aaa_rate_profile_stale",
        "speed upgraded in CRM, AAA keeps the old template",
        0.004,
        broadband,
        ("F-BB-SLOW S3: 低于签约且AAA仍为旧模板",),
        caller="提速后网速没变",
        truth=_speedup_truth,
        effect=_profile_old_rate,
        fixed_by=("resync:AAA",),
    ),
)
