"""Alarms (集中告警): active alarms on given network elements, or in a city.

Contract (`/alarm/api`): `{"total": n, "alarms": […]}`; a request without `ne` or `city` is HTTP
400 `{"error", "message"}`.
"""

from typing import Any

from firstcall.integrations.connectors.base import Connector, MalformedResponse
from firstcall.integrations.connectors.doc import Doc, Json
from firstcall.integrations.connectors.kinds import register

SEVERITY_LEVELS = {"一级": 1, "二级": 2, "三级": 3, "四级": 4}


def alarm_of(a: Doc) -> Json:
    severity = a.text("severity")
    return {
        "alarm_id": a.text("alarmId"),
        "ne_id": a.text("neId"),
        "ne_name": a.text("neName"),
        "ne_type": a.text("neType"),
        "city": a.text("city"),
        "object": a.text("object"),
        "name": a.text("alarmName"),
        "severity": severity,
        "severity_level": SEVERITY_LEVELS.get(severity[:2]),
        "raised_at": a.text("raisedTime"),
        "cleared_at": a.opt_text("clearedTime"),
        "state": a.text("state"),
        "affected_users": a.integer("affectedUsers"),
        "fault_ticket": a.opt_text("faultTicket"),
    }


def alarms_of(body: Any) -> Json:
    doc = Doc(body)
    alarms = [alarm_of(a) for a in doc.items("alarms")]
    if doc.integer("total") != len(alarms):
        raise MalformedResponse(f"alarms: total {doc.raw('total')} but {len(alarms)} listed")
    return {"total": len(alarms), "alarms": alarms}


@register
class AlarmsConnector(Connector):
    kind = "alarms"
    error_keys = ("error", "message")

    async def active(self, ne_ids: list[str] | tuple[str, ...] | str) -> Json:
        """Active alarms on the given NEs (a list, or ids comma-separated).
        GET /api/alarms?ne=A,B,…. An empty list asks nothing and returns no alarms.

        Returns {total, alarms[{alarm_id, ne_id, ne_name, ne_type, city, object, name, severity
        (label), severity_level (1 critical … 4 info, None if unknown), raised_at, cleared_at,
        state, affected_users, fault_ticket}]}.
        """
        ids = ne_ids.split(",") if isinstance(ne_ids, str) else list(ne_ids)
        ids = [ne.strip() for ne in ids if ne and ne.strip()]
        if not ids:
            return {"total": 0, "alarms": []}
        return alarms_of(await self.fetch("active", "/api/alarms", ne=",".join(ids)))

    async def in_city(self, city: str, ne_type: str | None = None) -> Json:
        """Every active alarm of a city (code such as JS-NJ), optionally of one NE type
        (OLT, DSLAM, 楼道交换机, BRAS, DNS, gNodeB …). GET /api/alarms?city=…&neType=….
        Returns the same shape as `active`."""
        return alarms_of(await self.fetch("in_city", "/api/alarms", city=city, neType=ne_type))
