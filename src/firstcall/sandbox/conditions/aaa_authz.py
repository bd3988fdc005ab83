"""AAA accepts but nothing comes up, or nothing reaches AAA; sessions cut by the NAS."""

from datetime import timedelta

from firstcall.sandbox.conditions.helpers_aaa import dialler_mac, offline, silent
from firstcall.sandbox.conditions.spec import Condition, Ctx, broadband
from firstcall.sandbox.platforms.broadband import ACCEPT, nas_port_id
from firstcall.sandbox.platforms.state import AuthRecord, ClosedSession

LOG = "F-BB-691 S4: "


def _accepted_but_down(ctx: Ctx) -> None:
    """AAA accepts, yet the BRAS never completes the session (authorisation side)."""
    aaa, b = ctx.p.aaa, ctx.c.broadband
    assert aaa is not None and b is not None
    offline(ctx)
    for n in reversed(range(3)):
        aaa.auth_log.insert(
            0,
            AuthRecord(
                ctx.ago(minutes=4 + 8 * n),
                ACCEPT,
                "",
                b.line.nas_ip,
                nas_port_id(b.line),
                dialler_mac(ctx),
            ),
        )


def _bras_fault(ctx: Ctx) -> None:
    _accepted_but_down(ctx)
    _nas_cluster(ctx)


def _nas_cluster(ctx: Ctx) -> None:
    """Sessions of the last days all ended by the NAS at the same moment (cutover or reset)."""
    aaa = ctx.p.aaa
    assert aaa is not None
    moment = ctx.epoch - timedelta(hours=2, minutes=13)
    for n, closed in enumerate(aaa.history[:3]):
        aaa.history[n] = ClosedSession(
            closed.session_id,
            closed.started - timedelta(days=n),
            moment,
            10,
            closed.nas_port_id,
            closed.mac,
        )


CONDITIONS = (
    Condition(
        "bras_alarm",
        "the BRAS is in alarm (address pool / board reset)",
        0.003,
        broadband,
        (
            LOG + "认证成功但客户仍报691",
            "F-BB-691 S9: 有告警或聚集",
            "F-BB-ERRCODE S3: 有告警",
            "F-BB-DROP S1: Admin-Reset/NAS-Request集中在同一时刻",
            "F-BB-DROP S4: 有",
        ),
        caller="拨号报691/718，邻居也不行",
        effect=_bras_fault,
        pool=("BRAS", "fault"),
    ),
    Condition(
        "bras_authz_error",
        "AAA accepts but the BRAS never completes the session",
        0.003,
        broadband,
        (LOG + "认证成功但客户仍报691", "F-BB-691 S9: 无告警且有认证成功记录"),
        caller="拨号报691",
        effect=_accepted_but_down,
    ),
    Condition(
        "aaa_no_auth_requests",
        "no authentication request reaches AAA at all",
        0.004,
        broadband,
        (
            LOG + "无任何认证请求",
            "F-BB-691 S9: 无告警且无任何认证请求",
            "F-BB-678 S5: 无请求",
            "F-BB-651 S6: 无请求",
            "F-BB-ERRCODE S2: 无任何记录",
            "F-BB-ERRCODE S3: 无告警",
        ),
        caller="拨号报错，光猫灯都正常",
        effect=silent,
    ),
    Condition(
        "nas_reset_no_alarm",
        "sessions all cut by the NAS at one moment, no alarm",
        0.003,
        broadband,
        ("F-BB-DROP S1: Admin-Reset/NAS-Request集中在同一时刻", "F-BB-DROP S4: 无"),
        caller="昨晚同一时间掉线",
        effect=_nas_cluster,
    ),
)
