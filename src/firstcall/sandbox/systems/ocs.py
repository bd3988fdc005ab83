"""OCS (在线计费): real-time balance, account books, stop state, data quota.

Style: `{"retCode": "0000", "retMsg": "成功", "subscriber": {...}}`; money in fen (integers), as
charging systems keep it. Not found: HTTP 404 with retCode 2001.
"""

from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Reply
from firstcall.sandbox.model import Customer
from firstcall.sandbox.numbering import KeyKind
from firstcall.sandbox.platforms.state import Ocs
from firstcall.sandbox.repairs import resync
from firstcall.sandbox.systems.common import System, by_param
from firstcall.sandbox.systems.ocs_render import subscriber_json


def fail(status: int, code: str, message: str) -> Reply:
    return Reply(
        status,
        {
            "retCode": {404: "2001", 409: "3009"}.get(status, "9999"),
            "retMsg": message,
            "errorCode": code,
        },
    )


def _find(sb: Sandbox, call: Call) -> tuple[Customer, Ocs] | Reply:
    number = call.params["serviceNo"]
    c = sb.locate(number, (KeyKind.MOBILE, KeyKind.BROADBAND))
    o = sb.platforms(c).ocs if c else None
    if c is None or o is None or (c.broadband and number == c.broadband.account and not o.bb_book):
        return fail(404, "SUBSCRIBER_NOT_FOUND", "用户不存在或非OCS用户")
    return c, o


def _subscriber(sb: Sandbox, call: Call) -> Reply:
    found = _find(sb, call)
    if isinstance(found, Reply):
        return found
    c, o = found
    return Reply(
        200,
        {
            "retCode": "0000",
            "retMsg": "成功",
            "subscriber": subscriber_json(c, call.params["serviceNo"], o),
        },
    )


def _resync(sb: Sandbox, call: Call) -> Reply:
    found = _find(sb, call)
    if isinstance(found, Reply):
        return found
    outcome = resync(sb, found[0], "OCS", system="ocs")
    if not outcome.ok:
        return fail(409, "NE_REJECTED", outcome.reason)
    return _subscriber(sb, call)


SYSTEM = System("ocs", "OCS", fail)
SAMPLE = by_param("serviceNo", KeyKind.MOBILE, KeyKind.BROADBAND)
SYSTEM.get(
    "/v1/subscribers/{serviceNo}",
    "Real-time balance, books, stop state and data quota "
    "of a mobile number (or a prepaid broadband account)",
    _subscriber,
    SAMPLE,
)
SYSTEM.post(
    "/v1/subscribers/{serviceNo}/resync",
    "Resync the subscriber from CRM",
    _resync,
    SAMPLE,
    description="Idempotent; answers with the subscriber as re-read.",
)
ENDPOINTS = SYSTEM.endpoints
