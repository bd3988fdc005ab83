"""The ONU and the ONT: power, light, registration, service VLAN, route mode."""

from firstcall.sandbox.conditions.helpers import nms_of
from firstcall.sandbox.conditions.helpers_aaa import session, silent
from firstcall.sandbox.conditions.spec import Condition, Ctx, ftth


def _onu_down(reason: str, rx: float | None):
    def effect(ctx: Ctx) -> None:
        nms = nms_of(ctx)
        nms.onu_state, nms.offline_reason, nms.rx_dbm = "离线", reason, rx
        nms.onu_events.insert(0, (ctx.ago(hours=5), f"下线（{reason}）"))
        silent(ctx, days=0.1)

    return effect


def _loid(ctx: Ctx) -> None:
    nms = nms_of(ctx)
    nms.onu_state, nms.offline_reason, nms.registration = "离线", "未注册", "LOID不匹配"
    nms.seen_sn = "HWTC" + str(ctx.c.index).zfill(8)
    silent(ctx, days=0.1)


def _vlan(ctx: Ctx) -> None:
    nms_of(ctx).service_vlan_ok = False
    silent(ctx, days=0.1)


def _route_mode_truth(ctx: Ctx) -> None:
    ctx.p.crm.products["broadband"].details["cpe_mode"] = "路由"


def _route_mode(ctx: Ctx) -> None:
    b = ctx.c.broadband
    assert b is not None and ctx.p.aaa is not None
    ctx.p.aaa.sessions = [session(ctx, mac=b.cpe_mac, started=ctx.ago(hours=9))]


CONDITIONS = (
    Condition(
        "ont_route_mode",
        "ONT dials itself (route mode) while the customer dials on a PC",
        0.004,
        lambda p: p.access in ("FTTH", "LAN"),
        ("F-BB-651 S1: 光猫为路由模式而客户在电脑上拨号",),
        caller="电脑拨号报651",
        truth=_route_mode_truth,
        effect=_route_mode,
    ),
    Condition(
        "onu_power_off",
        "ONU off line: power lost (dying-gasp)",
        0.004,
        ftth,
        ("F-BB-651 S4: 离线原因为掉电",),
        caller="光猫灯都不亮",
        effect=_onu_down("掉电 dying-gasp", None),
    ),
    Condition(
        "weak_optical_power",
        "ONU receives too little light (LOS, about -29.8 dBm)",
        0.006,
        ftth,
        ("F-BB-651 S4: 无光或光功率过低", "F-IPTV-NOPIC S3: 宽带也不通"),
        caller="光猫LOS灯红",
        effect=_onu_down("LOS", -29.8),
    ),
    Condition(
        "onu_loid_mismatch",
        "replaced ONT not registered: LOID/SN does not match the OLT",
        0.004,
        ftth,
        (
            "F-BB-651 S4: 光功率正常",
            "F-BB-651 S5: LOID/SN不匹配或配置缺失",
            "F-BB-651 A-REPROV: ONU上线",
        ),
        caller="换了光猫后PON灯一直闪",
        effect=_loid,
        fixed_by=("resync:OLT",),
    ),
    Condition(
        "onu_vlan_error",
        "ONU registered but its internet service VLAN is wrong",
        0.003,
        ftth,
        ("F-BB-651 S5: 已注册但业务VLAN异常",),
        caller="光猫灯正常但拨号报651",
        effect=_vlan,
    ),
)
