"""Access network state: outages, ONU registration and light, DSL sync, LAN port, DNS, ONT mode."""

from firstcall.sandbox.conditions.helpers import nms_of
from firstcall.sandbox.conditions.helpers_aaa import silent
from firstcall.sandbox.conditions.spec import Condition, Ctx, adsl, broadband, lan


def _outage(ctx: Ctx) -> None:
    nms = nms_of(ctx)
    if nms.access == "FTTH":
        nms.onu_state, nms.offline_reason, nms.rx_dbm = "离线", "LOS", None
    elif nms.access == "ADSL":
        nms.port_state, nms.sync_down_kbps, nms.sync_up_kbps = "去激活", 0, 0
    else:
        nms.switch_port = "down"
    silent(ctx, days=0.1)


def _adsl_down(line_test: str):
    def effect(ctx: Ctx) -> None:
        nms = nms_of(ctx)
        nms.port_state, nms.sync_down_kbps, nms.sync_up_kbps = "去激活", 0, 0
        nms.line_test = line_test
        silent(ctx, days=0.1)

    return effect


def _lan_port(ctx: Ctx) -> None:
    nms = nms_of(ctx)
    nms.switch_port, nms.crc_errors = "down", 25077
    silent(ctx, days=0.1)


CONDITIONS = (
    Condition(
        "access_alarm",
        "the customer's OLT/PON, DSLAM or LAN switch is in alarm",
        0.006,
        broadband,
        (
            "F-BB-678 S2: 有相关告警",
            "F-BB-651 S2: 有告警或同PON多户离线",
            "F-IPTV-NOPIC S3: 宽带也不通",
        ),
        caller="突然上不了网，光猫LOS红灯",
        effect=_outage,
        pool=("ACCESS", "outage"),
    ),
    Condition(
        "adsl_line_fault",
        "ADSL outside line fault: port down, line test fails",
        0.004,
        adsl,
        ("F-BB-678 S4: 外线或端口异常",),
        caller="Modem的Link灯一直闪",
        effect=_adsl_down("A线接地，绝缘 0.2 MΩ"),
    ),
    Condition(
        "adsl_splitter_fault",
        "ADSL does not sync but the line tests fine (in-house)",
        0.004,
        adsl,
        ("F-BB-678 S4: 线路合格",),
        caller="Modem的Link灯闪烁，电话有杂音",
        effect=_adsl_down("合格"),
    ),
    Condition(
        "lan_port_fault",
        "LAN: the building switch port is down / full of errors",
        0.004,
        lan,
        ("F-BB-651 S4L: 端口down或错包多",),
        caller="网口灯不亮",
        effect=_lan_port,
    ),
    Condition(
        "dns_alarm",
        "the DNS serving the customer fails (alarm on the DNS node)",
        0.003,
        broadband,
        ("F-BB-WEB S3: 有",),
        caller="QQ能上，网页打不开",
        pool=("DNS", "fault"),
    ),
)
