"""How CRM renders a customer and its product instances (camelCase, masked identifiers)."""

from typing import Any

from firstcall.sandbox.model import Customer
from firstcall.sandbox.platforms.state import CrmProduct, Platforms
from firstcall.sandbox.rng import mask_cert, mask_mobile

FEATURE_NAMES = {
    "outgoing": "呼出",
    "sms": "短信",
    "data": "上网功能",
    "volte": "VoLTE",
    "intl_roaming": "国际及港澳台漫游",
    "intl_long_distance": "国际长途",
}


def customer_json(c: Customer, p: Platforms) -> dict:
    city = c.profile.city
    return {
        "custId": c.cust_id,
        "custName": c.name,
        "custType": c.cust_type,
        "certType": c.cert_type,
        "certNo": mask_cert(c.cert_no),
        "realNameStatus": "1" if c.real_name else "0",
        "realPersonVerify": p.crm.real_name_status,
        "starLevel": c.star_level,
        "starValidTo": c.star_valid_to,
        "isKeyCust": "是" if c.key_customer else "否",
        "age": c.age,
        "servAgeMonths": c.serv_age_months,
        "cityFlag": c.city_flag,
        "region": {
            "provinceCode": city.province_code,
            "province": city.province_name,
            "latnCode": city.code,
            "latn": city.name,
            "district": c.district,
            "branch": c.branch,
            "grid": c.grid,
        },
        "contactPhone": mask_mobile(c.contact_phone),
        "address": c.address,
        "acctId": c.acct_id,
        "payMode": c.pay_mode,
        "persona30d": {
            "repeatComplaints": c.repeat_30d,
            "crossLevelComplaints": c.cross_30d,
            "refunds90d": c.refunds_90d,
        },
        "serviceNumbers": [
            {"prodType": k, "serviceNo": pr.number} for k, pr in p.crm.products.items()
        ],
    }


def product_json(c: Customer, pr: CrmProduct) -> dict:
    base: dict[str, Any] = {
        "prodInstId": pr.prod_inst_id,
        "prodType": pr.kind,
        "busiNbr": pr.number,
        "nbrLocation": c.profile.city.name,
        "mainOfferId": pr.offer_id,
        "mainOfferName": pr.offer_name,
        "userStatus": pr.status,
    }
    if pr.kind == "mobile" and (m := c.mobile):
        base |= {
            "effectiveTime": m.effective,
            "expireTime": "2099-12-31",
            "contract": m.contract,
            "dvlpChannel": m.channel,
            "imsi": m.imsi,
            "iccid": m.iccid,
            "features": {k: bool(v) for k, v in pr.features.items()},
            "addOns": [{"name": n, "status": "已开通"} for n in pr.details["addons"]]
            + [
                {"name": FEATURE_NAMES[k], "status": "已开通" if v else "未开通"}
                for k, v in pr.features.items()
                if k in ("intl_roaming", "intl_long_distance")
            ],
        }
    elif pr.kind == "broadband" and (b := c.broadband):
        d = pr.details
        base |= {
            "accessType": b.access,
            "rate": f"{d['down_mbps']}M下行/{d['up_mbps']}M上行",
            "downMbps": d["down_mbps"],
            "upMbps": d["up_mbps"],
            "billingType": b.billing_type,
            "expireDate": d["expires"],
            "ont": {
                "vendor": b.cpe.vendor,
                "model": b.cpe.model,
                "sn": d["cpe_sn"],
                "loid": b.loid,
                "mode": d["cpe_mode"],
                "mac": b.cpe_mac,
            },
            "installAddress": b.address,
        }
    elif pr.kind == "iptv" and (i := c.iptv):
        base |= {
            "package": i.package,
            "stb": {
                "vendor": i.stb.vendor,
                "model": i.stb.model,
                "mac": pr.details["stb_mac"],
                "sn": pr.details["stb_sn"],
            },
            "boundBroadband": c.broadband.account if c.broadband else None,
            "access": "IPoE（DHCP）, IPTV VLAN 45, 光猫 iTV 口 LAN2",
        }
    return base
