"""International roaming: CRM opening, HLR roaming barring, registration abroad, roaming data."""

from firstcall.sandbox.conditions.data import set_features
from firstcall.sandbox.conditions.helpers import add_order
from firstcall.sandbox.conditions.spec import Condition, Ctx, mobile

ROAM = "F-MOB-IROAM "


def _roaming_on(ctx: Ctx) -> None:
    set_features(ctx, intl_roaming=True)
    add_order(ctx, "mobile", "功能开关", "开通国际漫游", days=2)


def _abroad(ctx: Ctx) -> None:
    hlr = ctx.p.hlr
    assert hlr is not None
    hlr.vlr_in_hplmn = hlr.vlr_in_home_country = False


def _roaming_barred(ctx: Ctx) -> None:
    assert ctx.p.hlr is not None
    ctx.p.hlr.odbroam = "BROHPLMNC"


def _roaming_capped(ctx: Ctx) -> None:
    _abroad(ctx)
    ocs = ctx.p.ocs
    assert ocs is not None and ocs.roaming_pack is not None
    ocs.roaming_pack.update(used_mb=1024, capped=True)


def _not_registered(ctx: Ctx) -> None:
    assert ctx.p.hlr is not None
    ctx.p.hlr.ms_purged = True


def _roaming_off(ctx: Ctx) -> None:
    set_features(ctx, intl_roaming=False)


CONDITIONS = (
    Condition(
        "iroam_not_opened",
        "abroad without international roaming opened in CRM",
        0.003,
        mobile,
        (ROAM + "S2: 未开通国际漫游",),
        caller="在国外没信号",
        truth=_roaming_off,
    ),
    Condition(
        "hlr_roaming_mismatch",
        "roaming opened in CRM, HLR still bars it (BROHPLMNC)",
        0.005,
        mobile,
        (
            ROAM + "S2: 已开通",
            ROAM + "S3: HLR仍限制漫游",
            "F-MOB-ORDER S1: 已竣工",
            "F-MOB-ORDER S3: 网元未生效",
        ),
        caller="出国前开了漫游，到了用不了",
        truth=_roaming_on,
        effect=_roaming_barred,
        fixed_by=("resync:HLR",),
    ),
    Condition(
        "iroam_data_capped",
        "registered abroad, roaming data pack used up (capped)",
        0.003,
        mobile,
        (ROAM + "S3: 已登记但仅数据不可用", ROAM + "S4: 封顶或余额不足"),
        caller="国外能打电话不能上网",
        truth=_roaming_on,
        effect=_roaming_capped,
    ),
    Condition(
        "iroam_registered_data_fail",
        "registered abroad, data fails with OCS normal",
        0.003,
        mobile,
        (ROAM + "S3: 已登记但仅数据不可用", ROAM + "S4: 正常"),
        caller="国外能打电话不能上网",
        truth=_roaming_on,
        effect=_abroad,
    ),
    Condition(
        "iroam_not_registered",
        "roaming opened and allowed, never registered abroad",
        0.003,
        mobile,
        (ROAM + "S3: 未在境外登记",),
        caller="到了国外一直无服务",
        truth=_roaming_on,
        effect=_not_registered,
    ),
)
