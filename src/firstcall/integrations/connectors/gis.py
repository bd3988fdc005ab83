"""GIS coverage: the predicted coverage (RSRP/SINR) of a serving cell.

Contract (`/gis/v1`): `{"code": 200, "data": …}`; an unknown cell is HTTP 404 `{"code": 404,
"msg", "errorCode"}`.
"""

from firstcall.integrations.connectors.base import Connector
from firstcall.integrations.connectors.doc import Doc, Json
from firstcall.integrations.connectors.kinds import register

GOOD = "良好"


@register
class GisConnector(Connector):
    kind = "gis"
    error_keys = ("errorCode", "msg")

    async def coverage(self, cell_id: str) -> Json:
        """Predicted coverage of a serving cell (the id HLR reports as `serving_cell`).
        GET /v1/coverage?cellId=….

        Returns {cell_id, cell_name, rsrp_dbm, sinr_db, level (label: 良好, 弱覆盖 …),
        weak (level is not 良好), planned_site (a planned new site, or None)}.
        NotFoundError on 404 CELL_NOT_FOUND.
        """
        doc = Doc(await self.fetch("coverage", "/v1/coverage", cellId=cell_id))
        doc.require("code", 200, "GIS")
        d = doc.obj("data")
        level = d.text("coverageLevel")
        return {
            "cell_id": d.text("cellId"),
            "cell_name": d.text("cellName"),
            "rsrp_dbm": d.number("rsrpDbm"),
            "sinr_db": d.number("sinrDb"),
            "level": level,
            "weak": level != GOOD,
            "planned_site": d.opt_text("plannedSite"),
        }
