"""Product instances of a generated customer: mobile line, broadband line, IPTV."""

import random
from datetime import datetime, timedelta

from firstcall.sandbox import catalog, numbering
from firstcall.sandbox.model import AccessLine, Broadband, Iptv, Mobile
from firstcall.sandbox.network import healthy_ne, ne_id
from firstcall.sandbox.profile import Profile
from firstcall.sandbox.rng import digits, mac

HANDSETS = ("华为 Mate60", "苹果 iPhone 15", "小米 14", "OPPO Reno11", "vivo X100", "荣耀 90")


def prod_inst_id(rng: random.Random, kind: int) -> str:
    return f"11{kind}0" + digits(rng, 12)


def mobile_line(rng: random.Random, prof: Profile, epoch: datetime) -> Mobile:
    city = prof.city
    plan = rng.choice(catalog.MOBILE_PLANS)
    effective = (epoch - timedelta(days=rng.randint(40, 900))).date().replace(day=1)
    quota_mb = plan.data_gb * 1024
    return Mobile(
        msisdn=numbering.mobile_number(prof.index),
        imsi="46011" + digits(rng, 10),
        iccid="898603" + digits(rng, 14),
        prod_inst_id=prod_inst_id(rng, 1),
        plan=plan,
        effective=effective,
        contract=rng.choice(("无合约", "存费送费 24个月", "购机合约 24个月")),
        channel=city.name + rng.choice(catalog.SALES_CHANNELS),
        volte=True,
        intl_long_distance=rng.random() < 0.1,
        roaming=prof.roaming,
        data_used_mb=int(quota_mb * rng.uniform(0.05, 0.7)),
        cell_id=healthy_ne(rng, city, "CELL"),
        msc_id=healthy_ne(rng, city, "MSC"),
        smsc_id=healthy_ne(rng, city, "SMSC"),
        handset=rng.choice(HANDSETS),
    )


def broadband_line(rng: random.Random, prof: Profile, epoch: datetime, address: str) -> Broadband:
    city, access = prof.city, prof.access
    plan = rng.choice(catalog.BROADBAND_PLANS[access])
    kind = {"FTTH": "OLT", "ADSL": "DSLAM", "LAN": "SW"}[access]
    number = rng.randint(1, {"OLT": 40, "DSLAM": 20, "SW": 60}[kind])
    port = {
        "OLT": f"0/1/{rng.randrange(16)}",
        "DSLAM": f"0/{rng.randint(1, 8)}/{rng.randint(0, 63)}",
        "SW": f"GE0/0/{rng.randint(1, 24)}",
    }[kind]
    cpe = rng.choice(catalog.ADSL_MODEMS if access == "ADSL" else catalog.ONT_MODELS)
    billing = rng.choice(("包年", "包月", "融合套餐内含"))
    expires = (epoch + timedelta(days=rng.randint(20, 330))).date() if billing == "包年" else None
    line = AccessLine(
        ne_id=ne_id(city, kind, number),
        port=port,
        onu_id=rng.randint(1, 64) if access == "FTTH" else 0,
        splitter=f"FX-{rng.randint(1, 40):02d}" if access == "FTTH" else "",
        cross_box=f"JJX-{rng.randint(1, 200):03d}",
        svlan=1000 + rng.randint(0, 999),
        cvlan=3000 + rng.randint(0, 999),
        bras_id=healthy_ne(rng, city, "BRAS"),
        nas_ip=f"10.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        dns_id=healthy_ne(rng, city, "DNS"),
    )
    return Broadband(
        account=numbering.broadband_account(prof.index, city),
        prod_inst_id=prod_inst_id(rng, 2),
        access=access,
        plan=plan,
        billing_type=billing if not prof.bb_prepaid else "预付费账本",
        expires=expires,
        password="".join(rng.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(8)),
        cpe=cpe,
        cpe_sn=cpe.model[:2].upper() + digits(rng, 10),
        loid=city.area_code + digits(rng, 8),
        cpe_mode="路由" if rng.random() < 0.5 else "桥接",
        cpe_mac=mac(rng, cpe.oui),
        pc_mac=mac(rng, catalog.PC_OUI),
        address=f"{address}{rng.randint(1, 4)}单元{rng.randint(1, 30)}{rng.randint(1, 4):02d}",
        line=line,
        rx_dbm=round(rng.uniform(-23.5, -15.0), 1),
        tx_dbm=round(rng.uniform(1.5, 3.2), 1),
        sync_down_kbps=plan.down_mbps * 1000 + rng.randint(0, 128),
        attenuation_db=round(rng.uniform(12.0, 35.0), 1),
        snr_margin_db=round(rng.uniform(10.0, 22.0), 1),
        online=rng.random() < 0.85,
        session_started=epoch - timedelta(minutes=rng.randint(10, 60 * 70)),
    )


def iptv_service(rng: random.Random, prof: Profile) -> Iptv:
    stb = rng.choice(catalog.STB_MODELS)
    return Iptv(
        account=numbering.iptv_account(prof.index, prof.city),
        prod_inst_id=prod_inst_id(rng, 4),
        package=rng.choice(catalog.IPTV_PACKAGES),
        stb=stb,
        stb_mac=mac(rng, stb.oui),
        stb_sn=digits(rng, 16),
        node_id=healthy_ne(rng, prof.city, "IPTV"),
    )
