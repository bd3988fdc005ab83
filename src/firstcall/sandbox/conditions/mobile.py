"""Mobile: HLR subscription data, location and coverage, and SMS delivery."""

from firstcall.sandbox.conditions.helpers import hlr_of
from firstcall.sandbox.conditions.spec import Condition, Ctx, mobile, prepaid_mobile


def _barred_out(ctx: Ctx) -> None:
    hlr = hlr_of(ctx)
    hlr.gsm_oc, hlr.odboc = True, "BAOC"


def _no_ocsi(ctx: Ctx) -> None:
    hlr_of(ctx).o_csi = False


def _ss_baoc(ctx: Ctx) -> None:
    hlr_of(ctx).ss_baoc_active = True


def _barred_in(ctx: Ctx) -> None:
    hlr = hlr_of(ctx)
    hlr.gsm_ic, hlr.odbic = True, "BAIC"


def _no_ts21(ctx: Ctx) -> None:
    hlr_of(ctx).ts = [t for t in hlr_of(ctx).ts if t != "TS21"]


NOCALL, NOSMS = "F-MOB-NOCALL ", "F-MOB-NOSMS "
HLR_SYNC_OK = (NOCALL + "A-HLR-SYNC: 成功",)
CONDITIONS = (
    Condition(
        "hlr_barring_mismatch",
        "HLR bars outgoing calls (GSM_OC/BAOC) while CRM is normal",
        0.006,
        mobile,
        (NOCALL + "S4: HLR数据与CRM不一致", *HLR_SYNC_OK),
        caller="打电话提示呼叫受限，没欠费",
        effect=_barred_out,
        fixed_by=("resync:HLR",),
    ),
    Condition(
        "hlr_ocsi_missing",
        "prepaid subscriber without the O-CSI trigger in HLR",
        0.003,
        prepaid_mobile,
        (NOCALL + "S4: HLR数据与CRM不一致",),
        caller="打不出电话",
        effect=_no_ocsi,
        fixed_by=("resync:HLR",),
    ),
    Condition(
        "ss_baoc_active",
        "the subscriber activated call barring (SS BAOC) on the handset",
        0.003,
        mobile,
        (NOCALL + "S4: 用户自设呼出限制(补充业务BAOC激活)",),
        caller="打不出电话，能接",
        effect=_ss_baoc,
    ),
    Condition(
        "cell_alarm",
        "the serving cell is out of service (alarm)",
        0.005,
        mobile,
        (NOCALL + "S6: 有基站告警", "F-MOB-DATA S5: 有告警"),
        caller="这两天在家里没信号",
        pool=("CELL", "down"),
    ),
    Condition(
        "weak_coverage",
        "the serving cell covers the address weakly (GIS)",
        0.005,
        mobile,
        (NOCALL + "S6: 覆盖弱或无覆盖", "F-MOB-DATA S5: 弱覆盖"),
        caller="家里信号一直很差",
        pool=("CELL", "weak"),
    ),
    Condition(
        "trunk_route_alarm",
        "calls in one direction fail: the gateway's trunk is down",
        0.002,
        mobile,
        (NOCALL + "S8: 多用户同方向失败",),
        caller="打国际长途都打不通",
        pool=("MSC", "route"),
    ),
    Condition(
        "hlr_incoming_barred",
        "HLR bars incoming calls and SMS while CRM is normal",
        0.004,
        mobile,
        (NOSMS + "S3: 缺TS21或多余闭锁",),
        caller="收不到短信",
        effect=_barred_in,
        fixed_by=("resync:HLR",),
    ),
    Condition(
        "hlr_ts21_missing",
        "HLR lacks TS21 (SMS MT) although CRM has SMS",
        0.004,
        mobile,
        (NOSMS + "S3: 缺TS21或多余闭锁",),
        caller="收不到任何短信",
        effect=_no_ts21,
        fixed_by=("resync:HLR",),
    ),
)
