"""Access lines and the access network: ONU, optical power, DSL line, LAN port, alarms, DNS."""

from firstcall.sandbox.conditions.helpers import nms_of
from firstcall.sandbox.conditions.spec import Condition, Ctx, broadband
from firstcall.sandbox.platforms.state import ClosedSession


def _history(ctx: Ctx, causes: tuple[int, ...]) -> None:
    """Replace the last days' closed sessions with ones ended for the given causes."""
    aaa = ctx.p.aaa
    assert aaa is not None
    aaa.history = [
        ClosedSession(
            old.session_id,
            ctx.ago(days=n / 2 + 0.4),
            ctx.ago(days=n / 2, hours=1),
            causes[n % len(causes)],
            old.nas_port_id,
            old.mac,
        )
        for n, old in enumerate(aaa.history + aaa.history[:3])
    ]


def _poor(ctx: Ctx) -> None:
    nms = nms_of(ctx)
    if nms.access == "ADSL":
        nms.sync_down_kbps = nms.sync_down_kbps * 2 // 5
        nms.snr_margin_db, nms.attenuation_db, nms.retrains_24h = 4.0, 52.5, 37
    elif nms.access == "FTTH":
        nms.rx_dbm = -26.8
        nms.onu_events = [
            (ctx.ago(hours=h), "下线（LOS）" if h % 2 else "上线") for h in range(1, 9)
        ]
    else:
        nms.port_speed, nms.crc_errors = "100M 半双工", 18342
    _history(ctx, (2, 8, 2))


def _cpe_unstable(ctx: Ctx) -> None:
    nms = nms_of(ctx)
    if nms.access == "FTTH":
        nms.onu_events = [
            (ctx.ago(hours=h * 3), "下线（掉电 dying-gasp）" if h % 2 else "上线")
            for h in range(1, 7)
        ]
    _history(ctx, (2, 2, 8))


def _causes(*causes: int):
    return lambda ctx: _history(ctx, causes)


DROP = "F-BB-DROP S1: "
CONDITIONS = (
    Condition(
        "line_quality_poor",
        "the line itself is poor: low SNR / marginal light / bad port",
        0.006,
        broadband,
        (
            "F-BB-SLOW S4: 线路指标异常",
            DROP + "多为Lost-Carrier/Port-Error（物理层）",
            "F-BB-DROP S2: 线路/光功率不稳",
        ),
        caller="网速慢，经常掉线",
        effect=_poor,
    ),
    Condition(
        "uplink_congestion",
        "the access NE uplink is congested (busy-hour slowness)",
        0.004,
        broadband,
        ("F-BB-SLOW S5: 有拥塞或告警",),
        caller="晚上网速特别慢",
        pool=("ACCESS", "congestion"),
    ),
    Condition(
        "cpe_unstable",
        "drops from the customer's own equipment: the line is stable",
        0.004,
        broadband,
        (DROP + "多为Lost-Carrier/Port-Error（物理层）", "F-BB-DROP S2: 稳定"),
        caller="经常掉线，光猫很烫",
        effect=_cpe_unstable,
    ),
    Condition(
        "bb_idle_timeouts",
        "sessions end by idle or session timeout",
        0.003,
        broadband,
        (DROP + "多为Idle-Timeout/Session-Timeout",),
        caller="不用一会儿就断",
        effect=_causes(4, 5, 4),
    ),
    Condition(
        "bb_user_request_drops",
        "sessions end by user request (router redials)",
        0.003,
        broadband,
        (DROP + "多为User-Request",),
        caller="老掉线",
        effect=_causes(1, 1, 1),
    ),
)
