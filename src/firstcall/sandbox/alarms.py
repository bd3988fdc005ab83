"""Standing alarms on NEs in alarm pools, and the coverage the GIS predicts for a cell."""

from datetime import datetime, timedelta

from firstcall.sandbox.geography import City
from firstcall.sandbox.network import KINDS, NeRef


def pon_port(ne: NeRef) -> str:
    """The PON port an OLT LOS alarm is raised on (its customers are homed on that port)."""
    return f"0/1/{ne.number % 16}"


def alarm_for(ne: NeRef, epoch: datetime) -> dict | None:
    """The standing alarm of an NE, or None for a healthy NE."""
    pool = ne.pool
    if pool is None or not pool.alarm:
        return None
    raised = epoch - timedelta(hours=2, minutes=ne.number * 7 % 50)
    stamp = raised.strftime("%Y%m%d")
    obj = {"OLT": f"PON {pon_port(ne)}" if pool.name == "los" else "上联口 0/19/0"}.get(
        ne.kind.code, "整机"
    )
    if ne.kind.code == "CELL":
        obj = f"小区 CI 460-11-{ne.city.city_digits}{ne.number:04d}"
    return {
        "alarm_id": f"ALM-{stamp}-{int(ne.city.province_digits) * 10_000 + ne.number * 37:07d}",
        "ne_id": ne.id,
        "ne_name": ne.name,
        "ne_type": ne.kind.ne_type,
        "city": ne.city.code,
        "object": obj,
        "alarm_name": pool.alarm,
        "severity": pool.severity,
        "raised": raised,
        "state": "活动",
        "affected": 40 + ne.number * 13 % 900,
        "fault_ticket": f"GZ-{ne.city.area_code}-{stamp}-{ne.number:05d}"
        + "（网维已派单，预计4小时内恢复）",
    }


def pooled_refs(city: City) -> list[NeRef]:
    """Every NE in an alarm pool of a city (the alarm list of an area)."""
    refs: list[NeRef] = []
    for kind in KINDS.values():
        for pool in kind.pools:
            if pool.alarm:
                refs.extend(NeRef(city, kind, n) for n in range(pool.first, pool.first + pool.size))
    return refs


def coverage(ne: NeRef) -> dict:
    """Predicted coverage of a cell at the customer's address (the GIS view)."""
    pool = ne.pool
    weak = pool is not None and pool.name == "weak"
    rsrp = -112.0 - ne.number % 7 if weak else -82.0 - ne.number % 15
    return {"rsrp_dbm": rsrp, "sinr_db": -3.0 if weak else 12.0 + ne.number % 8, "weak": weak}
