"""HLR/HSS (用户签约数据), answering like Huawei `LST SUB`.

Style: `{"ResultCode": 0, "ResultDesc": "Operation succeeded", "subscriber": {...}}` with HLR field
names and "TRUE"/"FALSE" strings. An unknown number is HTTP 200 with ResultCode 3001
(`ERR3001:Subscriber not defined`), as the HLR itself says.
"""

from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Reply
from firstcall.sandbox.model import Customer
from firstcall.sandbox.numbering import KeyKind
from firstcall.sandbox.platforms.state import Hlr
from firstcall.sandbox.repairs import resync
from firstcall.sandbox.systems.common import System, by_param
from firstcall.sandbox.systems.hlr_render import subscriber_json


def fail(status: int, code: str, message: str) -> Reply:
    if status == 404:
        return Reply(200, {"ResultCode": 3001, "ResultDesc": "ERR3001:Subscriber not defined"})
    return Reply(status, {"ResultCode": 3100 + status % 100, "ResultDesc": f"ERR{code}:{message}"})


def _find(sb: Sandbox, call: Call) -> tuple[Customer, Hlr] | Reply:
    c = sb.locate(call.params["msisdn"], (KeyKind.MOBILE,))
    h = sb.platforms(c).hlr if c else None
    if c is None or h is None:
        return fail(404, "NOT_DEFINED", "Subscriber not defined")
    return c, h


def _subscriber(sb: Sandbox, call: Call) -> Reply:
    found = _find(sb, call)
    if isinstance(found, Reply):
        return found
    return Reply(
        200,
        {
            "ResultCode": 0,
            "ResultDesc": "Operation succeeded",
            "subscriber": subscriber_json(*found),
        },
    )


def _resync(sb: Sandbox, call: Call) -> Reply:
    found = _find(sb, call)
    if isinstance(found, Reply):
        return found
    outcome = resync(sb, found[0], "HLR", system="hlr")
    if not outcome.ok:
        return fail(409, "3508", outcome.reason)
    return _subscriber(sb, call)


SYSTEM = System("hlr", "HLR", fail)
SAMPLE = by_param("msisdn", KeyKind.MOBILE)
SYSTEM.get(
    "/v1/subscribers/{msisdn}",
    "Subscriber data (LST SUB): locks, ODB, services, CAMEL, location, SMS flags",
    _subscriber,
    SAMPLE,
)
SYSTEM.post(
    "/v1/subscribers/{msisdn}/resync",
    "Rewrite the subscription from CRM (re-sends data to the VLR)",
    _resync,
    SAMPLE,
    description="Idempotent; answers with LST SUB after.",
)
ENDPOINTS = SYSTEM.endpoints
