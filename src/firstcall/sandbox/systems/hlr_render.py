"""How the HLR renders a subscriber: LST SUB field names, TRUE/FALSE flags."""

from firstcall.sandbox.model import Customer
from firstcall.sandbox.network import parse_ne
from firstcall.sandbox.platforms.state import Hlr

TS_NAMES = {
    "TS11": "TS11 Telephony",
    "TS12": "TS12 Emergency",
    "TS21": "TS21 SMS MT",
    "TS22": "TS22 SMS MO",
}


def flag(value: bool) -> str:
    return "TRUE" if value else "FALSE"


def subscriber_json(c: Customer, h: Hlr) -> dict:
    assert c.mobile is not None
    cell = parse_ne(h.cell_id)
    ci = f"460-11-{c.profile.city.area_code[-3:]}-{cell.number:04d}" if cell else ""
    return {
        "IMSI": c.mobile.imsi,
        "ISDN": "86" + c.mobile.msisdn,
        "CardType": "USIM",
        "NAM": "BOTH",
        "CATEGORY": "COMMON",
        "LOCK": {"GSM_IC": flag(h.gsm_ic), "GSM_OC": flag(h.gsm_oc), "GPRSLOCK": flag(h.gprslock)},
        "SABLOCK": {"SABLOCK_IC": "FALSE", "SABLOCK_OC": "FALSE"},
        "BasicService": {"TS": [TS_NAMES[t] for t in h.ts]},
        "ODB": {
            "ODBOC": h.odboc,
            "ODBIC": h.odbic,
            "ODBROAM": h.odbroam,
            "ODBPOS": "NOBPOS",
            "ODBSS": "FALSE",
        },
        "SS": {
            "CLIP": "PROV",
            "CW": "PROV",
            "CFNRC": "PROV",
            "BAOC": "PROV,ACT" if h.ss_baoc_active else "NOTPROV",
        },
        "CAMEL": {
            "O-CSI": {"TPLID": 29, "STATE": "TRUE"} if h.o_csi else None,
            "T-CSI": {"TPLID": 31, "STATE": "TRUE"} if h.o_csi else None,
        },
        "GPRS": {"CNTXID": 1, "APN": h.apn, "APNTPLID": 1} if h.gprs else None,
        "RROption": "ALL_PLMNS",
        "Dynamic": {
            "VLRInHplmn": flag(h.vlr_in_hplmn),
            "VLRInHomeCountry": flag(h.vlr_in_home_country),
            "MsPurgedForNonGprs": flag(h.ms_purged),
            "CsUplStatus": "Normal" if not h.ms_purged else "Purged",
            "ISDStatus": "Succeeded" if h.isd_ok else "Failed",
            "MSCNumber": h.msc_id,
            "ServingCell": h.cell_id,
            "CGI": ci if h.vlr_in_home_country else "",
        },
        "SMS": {
            "MNRF": flag(h.mnrf),
            "MCEFforGSM": flag(h.mcef),
            "MNRRforGSM": "MS Not Reachable" if h.mnrf else "No Reason for Non-GPRS",
        },
    }
