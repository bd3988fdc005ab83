"""Coverage (GIS / 网优平台): predicted coverage of a cell at the customer's address.

Style: `{"code": 200, "data": {...}}`; errors `{"code": <status>, "msg": ...}`.
"""

from firstcall.sandbox.alarms import coverage
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Param, Reply
from firstcall.sandbox.model import Customer
from firstcall.sandbox.network import parse_ne
from firstcall.sandbox.systems.common import System


def fail(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"code": status, "msg": message, "errorCode": code})


def _coverage(sb: Sandbox, call: Call) -> Reply:
    del sb
    ne = parse_ne(call.query.get("cellId", ""))
    if ne is None or ne.kind.code != "CELL":
        return fail(404, "CELL_NOT_FOUND", "unknown cell id")
    cov = coverage(ne)
    return Reply(
        200,
        {
            "code": 200,
            "data": {
                "cellId": ne.id,
                "cellName": ne.name,
                "rsrpDbm": cov["rsrp_dbm"],
                "sinrDb": cov["sinr_db"],
                "coverageLevel": "弱覆盖" if cov["weak"] else "良好",
                "plannedSite": "2025年Q3规划新建站" if cov["weak"] and ne.number % 2 else None,
            },
        },
    )


def _sample(sb: Sandbox, c: Customer) -> Call | None:
    cell = sb.platforms(c).refs.cell
    return Call(query={"cellId": cell}) if cell else None


SYSTEM = System("gis", "GIS coverage", fail)
SYSTEM.get(
    "/v1/coverage",
    "Predicted coverage (RSRP/SINR) of a serving cell",
    _coverage,
    _sample,
    query=(Param("cellId", "serving cell id from HLR Dynamic.ServingCell", required=True),),
)
ENDPOINTS = SYSTEM.endpoints
