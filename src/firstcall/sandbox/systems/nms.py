"""Access-network NMS (综合网管): ONU, optical power, DSL line, LAN switch port, line tests.

Style: `{"ret": 0, "msg": "ok", "result": {...}}`, camelCase; errors `{"ret": <code>, "msg": ...}`
with a real HTTP status. The line is looked up by broadband account.
"""

from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Reply
from firstcall.sandbox.model import Customer
from firstcall.sandbox.numbering import KeyKind
from firstcall.sandbox.platforms.state import Nms, Res
from firstcall.sandbox.repairs import resync
from firstcall.sandbox.systems.common import System, by_param
from firstcall.sandbox.systems.nms_render import line_json, line_test


def fail(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"ret": status * 10, "msg": message, "code": code})


def _find(sb: Sandbox, call: Call) -> tuple[Customer, Nms, Res] | Reply:
    c = sb.locate(call.params["account"], (KeyKind.BROADBAND,))
    p = sb.platforms(c) if c else None
    if c is None or p is None or p.nms is None or p.res is None:
        return fail(404, "LINE_NOT_FOUND", "no access line for this account")
    return c, p.nms, p.res


def _line(sb: Sandbox, call: Call) -> Reply:
    found = _find(sb, call)
    if isinstance(found, Reply):
        return found
    return Reply(200, {"ret": 0, "msg": "ok", "result": line_json(*found)})


def _test(sb: Sandbox, call: Call) -> Reply:
    found = _find(sb, call)
    if isinstance(found, Reply):
        return found
    return Reply(200, {"ret": 0, "msg": "ok", "result": line_test(found[1], sb.now())})


def _resync(sb: Sandbox, call: Call) -> Reply:
    found = _find(sb, call)
    if isinstance(found, Reply):
        return found
    if found[1].access == "ADSL":
        return fail(409, "NOT_SUPPORTED", "ADSL ports carry no OLT/ONU service configuration")
    outcome = resync(sb, found[0], "OLT", system="nms")
    if not outcome.ok:
        return fail(409, "NE_REJECTED", outcome.reason)
    return _line(sb, call)


SYSTEM = System("nms", "Access NMS", fail)
LINE = by_param("account", KeyKind.BROADBAND)
SYSTEM.get(
    "/v1/lines/{account}",
    "Line state by access type: ONU and optical power (FTTH), "
    "DSL port and line figures (ADSL), switch port (LAN); service VLANs",
    _line,
    LINE,
)
SYSTEM.post(
    "/v1/lines/{account}/line-test",
    "Run a line test (outside line / optical / port); changes nothing",
    _test,
    LINE,
)
SYSTEM.post(
    "/v1/lines/{account}/resync",
    "Re-send the OLT/ONU service configuration and re-register the ONU by LOID/SN (FTTH/LAN)",
    _resync,
    LINE,
    description="Idempotent; answers with the line after. 409 for ADSL.",
)
ENDPOINTS = SYSTEM.endpoints
