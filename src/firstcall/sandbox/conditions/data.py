"""Mobile data and policy, international roaming, SP subscriptions, IPTV."""

from firstcall.sandbox.conditions.helpers import add_order
from firstcall.sandbox.conditions.spec import Condition, Ctx, mobile


def set_features(ctx: Ctx, **flags: bool) -> None:
    ctx.p.crm.products["mobile"].features.update(flags)


def _data_off(ctx: Ctx) -> None:
    set_features(ctx, data=False)
    add_order(ctx, "mobile", "功能开关", "关闭上网功能（客户申请）", days=40)


def _capped(ctx: Ctx) -> None:
    ocs = ctx.p.ocs
    assert ocs is not None
    ocs.data_used_mb, ocs.cap_set, ocs.data_blocked = ocs.data_quota_mb, True, True


def _throttled(ctx: Ctx) -> None:
    ocs, pcrf = ctx.p.ocs, ctx.p.pcrf
    assert ocs is not None and pcrf is not None
    ocs.data_used_mb, ocs.throttled = ocs.data_quota_mb + 2048, True
    pcrf.throttled, pcrf.qos_down_kbps, pcrf.reason, pcrf.usage_pct = True, 1000, "达量限速", 107


def _gprs_locked(ctx: Ctx) -> None:
    assert ctx.p.hlr is not None
    ctx.p.hlr.gprslock = True


def _policy(ctx: Ctx) -> None:
    pcrf = ctx.p.pcrf
    assert pcrf is not None
    pcrf.throttled, pcrf.qos_down_kbps, pcrf.reason = True, 128, "达量限速"


DATA = "F-MOB-DATA "
CONDITIONS = (
    Condition(
        "mob_data_disabled",
        "mobile data switched off at the customer's request",
        0.003,
        mobile,
        (DATA + "S2: 上网功能被关闭（如客户申请关闭）",),
        caller="手机不能上网",
        truth=_data_off,
    ),
    Condition(
        "data_cap_reached",
        "quota used up and the customer's own cap cuts data",
        0.004,
        mobile,
        (DATA + "S3: 流量用尽且设封顶或断网",),
        caller="手机突然不能上网",
        effect=_capped,
    ),
    Condition(
        "pcrf_throttled",
        "over the plan threshold: PCRF limits speed (达量限速)",
        0.004,
        mobile,
        (DATA + "S3: 达量限速",),
        caller="手机网速特别慢",
        effect=_throttled,
    ),
    Condition(
        "hlr_data_barred",
        "HLR locks packet data (GPRSLOCK) while CRM has data on",
        0.004,
        mobile,
        (DATA + "S4: 签约缺失或闭锁",),
        caller="手机不能上网",
        effect=_gprs_locked,
        fixed_by=("resync:HLR",),
    ),
    Condition(
        "pcrf_policy_mismatch",
        "PCRF throttles although usage is under the threshold",
        0.004,
        mobile,
        (DATA + "S4: 签约缺失或闭锁", DATA + "S3: 正常"),
        caller="网速很慢，流量没用完",
        effect=_policy,
        fixed_by=("resync:PCRF",),
    ),
)
