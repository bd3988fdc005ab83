"""Centralised alarms (集中告警): active alarms by NE, type or city.

Style: `{"total": n, "alarms": [...]}` with camelCase records; errors `{"error": CODE,
"message": ...}`. NE ids come from RES (access device, BRAS, DNS, IPTV node), HLR (serving cell,
MSC) and SMSC records.
"""

from firstcall.sandbox.alarms import alarm_for, pooled_refs
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Param, Reply
from firstcall.sandbox.geography import CITY_BY_CODE
from firstcall.sandbox.model import Customer
from firstcall.sandbox.network import parse_ne
from firstcall.sandbox.systems.common import System


def fail(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"error": code, "message": message})


def alarm_json(a: dict) -> dict:
    return {
        "alarmId": a["alarm_id"],
        "neId": a["ne_id"],
        "neName": a["ne_name"],
        "neType": a["ne_type"],
        "city": a["city"],
        "object": a["object"],
        "alarmName": a["alarm_name"],
        "severity": a["severity"],
        "raisedTime": a["raised"],
        "clearedTime": None,
        "state": a["state"],
        "affectedUsers": a["affected"],
        "faultTicket": a["fault_ticket"],
    }


def _alarms(sb: Sandbox, call: Call) -> Reply:
    epoch = sb.config.epoch
    ne_ids = [v for v in call.query.get("ne", "").split(",") if v]
    city = call.query.get("city", "")
    if not ne_ids and not city:
        return fail(400, "MISSING_PARAMETER", "give ne (comma-separated NE ids) or city")
    if city and city not in CITY_BY_CODE:
        return fail(400, "UNKNOWN_CITY", f"unknown city code {city}")
    if ne_ids:
        refs = [ref for v in ne_ids if (ref := parse_ne(v))]
    else:
        refs = pooled_refs(CITY_BY_CODE[city])
    alarms = [alarm_json(a) for ref in refs if (a := alarm_for(ref, epoch))]
    if ne_type := call.query.get("neType"):
        alarms = [a for a in alarms if a["neType"] == ne_type]
    if city and ne_ids:
        alarms = [a for a in alarms if a["city"] == city]
    return Reply(200, {"total": len(alarms), "alarms": alarms})


def _sample(sb: Sandbox, c: Customer) -> Call | None:
    refs = sb.platforms(c).refs
    ids = [
        v
        for v in (
            refs.access_ne,
            refs.bras,
            refs.dns,
            refs.cell,
            refs.msc,
            refs.smsc,
            refs.iptv_node,
        )
        if v
    ]
    return Call(query={"ne": ",".join(ids)})


SYSTEM = System("alarm", "Alarms", fail)
SYSTEM.get(
    "/api/alarms",
    "Active alarms on the given NEs, or every active alarm of a city",
    _alarms,
    _sample,
    query=(
        Param("ne", "NE ids, comma-separated (e.g. JS-NJ-OLT-041)"),
        Param("city", "city code, e.g. JS-NJ"),
        Param(
            "neType",
            "filter: OLT, DSLAM, 楼道交换机, BRAS, DNS, gNodeB, 关口局, 短信中心, IPTV CDN/EPG节点",
        ),
    ),
)
ENDPOINTS = SYSTEM.endpoints
