"""Stage one: CRM, billing and points as the customer bought them (before any condition)."""

from datetime import datetime

from firstcall.sandbox.model import Customer
from firstcall.sandbox.platforms.state import Crm, CrmProduct


def month_cycles(epoch: datetime, count: int) -> list[str]:
    """The last `count` closed bill cycles, newest first (202406 style)."""
    year, month = epoch.year, epoch.month
    cycles = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        cycles.append(f"{year}{month:02d}")
    return cycles


def build_crm(c: Customer) -> Crm:
    products: dict[str, CrmProduct] = {}
    if m := c.mobile:
        products["mobile"] = CrmProduct(
            "mobile",
            m.msisdn,
            m.prod_inst_id,
            m.plan.offer_id,
            m.plan.name,
            "正常",
            features={
                "outgoing": True,
                "sms": True,
                "data": True,
                "volte": m.volte,
                "intl_roaming": m.roaming,
                "intl_long_distance": m.intl_long_distance,
            },
            details={
                "addons": ["来电显示", "国内流量包10GB（月）"]
                if m.plan.data_gb < 20
                else ["来电显示"]
            },
        )
    if b := c.broadband:
        products["broadband"] = CrmProduct(
            "broadband",
            b.account,
            b.prod_inst_id,
            b.plan.offer_id,
            b.plan.name,
            "在用",
            details={
                "down_mbps": b.plan.down_mbps,
                "up_mbps": b.plan.up_mbps,
                "cpe_mode": b.cpe_mode,
                "cpe_sn": b.cpe_sn,
                "expires": b.expires.isoformat() if b.expires else None,
            },
        )
    if f := c.fixed:
        products["fixed"] = CrmProduct(
            "fixed", f.number, f.prod_inst_id, "400000100", "固话普通", "在用"
        )
    if i := c.iptv:
        products["iptv"] = CrmProduct(
            "iptv",
            i.account,
            i.prod_inst_id,
            "500000300",
            i.package,
            "在用",
            details={"stb_mac": i.stb_mac, "stb_sn": i.stb_sn},
        )
    return Crm(real_name_status="已核验", products=products, orders=list(c.orders))
