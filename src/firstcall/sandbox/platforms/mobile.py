"""Stage two for mobile: HLR, OCS, PCRF, SMSC and VAS derived from what CRM says."""

from datetime import datetime, timedelta

from firstcall.sandbox.model import Customer
from firstcall.sandbox.platforms.state import (
    Billing,
    CrmProduct,
    Hlr,
    Ocs,
    Pcrf,
)

ARREARS_ONE_WAY = "欠费单停"
ARREARS_TWO_WAY = "欠费双停"
ADMIN_STOPS = ("用户申请停机（停机保号）", "挂失停机", "涉诈关停", "实名待核验关停")
OCS_STATES = {
    "正常": "正常",
    ARREARS_ONE_WAY: "单停",
    ARREARS_TWO_WAY: "双停",
    "用户申请停机（停机保号）": "停机保号",
    "挂失停机": "挂失",
    "涉诈关停": "关停",
    "实名待核验关停": "关停",
}


def derive_hlr(c: Customer, product: CrmProduct) -> Hlr:
    assert c.mobile is not None
    status, features = product.status, product.features
    stopped = status != "正常"
    both_ways = status == ARREARS_TWO_WAY or status in ADMIN_STOPS
    admin = status in ADMIN_STOPS
    ts = ["TS11", "TS12"] + (["TS21", "TS22"] if features.get("sms", True) else [])
    return Hlr(
        gsm_ic=both_ways,
        gsm_oc=stopped,
        gprslock=stopped,
        odboc="BAOC" if admin else "NOBOC" if features.get("intl_long_distance") else "BOIC",
        odbic="BAIC" if admin else "NOBIC",
        odbroam="NOBAR" if features.get("intl_roaming") else "BROHPLMNC",
        ts=ts,
        ss_baoc_active=False,
        o_csi=c.pay_mode == "预付费",
        gprs=features.get("data", True),
        apn="ctnet" if features.get("data", True) else "",
        vlr_in_hplmn=True,
        vlr_in_home_country=True,
        ms_purged=False,
        mnrf=False,
        mcef=False,
        isd_ok=True,
        cell_id=c.mobile.cell_id,
        msc_id=c.mobile.msc_id,
    )


def derive_ocs(c: Customer, product: CrmProduct | None, billing: Billing, epoch: datetime) -> Ocs:
    """The OCS subscriber: the mobile line, and the broadband account book if that is prepaid.

    Without a mobile product (prepaid broadband only) the mobile fields stay empty."""
    bb_book = None
    if c.broadband and c.profile.bb_prepaid:
        bb_book = {"balance": 60.0, "expires": (epoch + timedelta(days=25)).date().isoformat()}
    if product is None or c.mobile is None:
        return Ocs(
            "正常",
            billing.balance,
            billing.credit_limit,
            "",
            [],
            0,
            0,
            False,
            False,
            False,
            None,
            bb_book,
        )
    plan = c.mobile.plan
    addons = list(product.details["addons"])
    quota = plan.data_gb * 1024 + (10 * 1024 if "国内流量包10GB（月）" in addons else 0)
    used = c.mobile.data_used_mb
    return Ocs(
        state=OCS_STATES.get(product.status, "正常"),
        balance=billing.balance,
        credit=billing.credit_limit,
        offer_id=product.offer_id,
        addons=addons,
        data_quota_mb=quota,
        data_used_mb=used,
        cap_set=False,
        data_blocked=not product.features.get("data", True),
        throttled=plan.unlimited and used >= quota,
        roaming_pack=(
            {"name": "国际漫游日包（1GB/天）", "quota_mb": 1024, "used_mb": 0, "capped": False}
            if product.features.get("intl_roaming")
            else None
        ),
        bb_book=bb_book,
    )


def derive_pcrf(c: Customer, ocs: Ocs) -> Pcrf:
    assert c.mobile is not None
    plan = c.mobile.plan
    usage = int(100 * ocs.data_used_mb / max(ocs.data_quota_mb, 1))
    return Pcrf(
        policy=f"PLAN-{plan.offer_id}-{'UNL' if plan.unlimited else 'STD'}",
        qos_down_kbps=1000 if ocs.throttled else 300_000,
        throttled=ocs.throttled,
        reason="达量限速" if ocs.throttled else "",
        usage_pct=usage,
    )
