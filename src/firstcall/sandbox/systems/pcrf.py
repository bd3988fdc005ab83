"""PCRF (策略控制): the data policy of a subscriber and whether speed is limited.

Style: Diameter-flavoured, `{"Result-Code": 2001, "subscriber": {...}}`; an unknown user is HTTP
404 with Result-Code 5030 (DIAMETER_USER_UNKNOWN).
"""

from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Reply
from firstcall.sandbox.model import Customer
from firstcall.sandbox.numbering import KeyKind
from firstcall.sandbox.platforms.state import Pcrf
from firstcall.sandbox.repairs import resync
from firstcall.sandbox.systems.common import System, by_param


def fail(status: int, code: str, message: str) -> Reply:
    result = {404: 5030, 409: 5012}.get(status, 5012)
    return Reply(status, {"Result-Code": result, "Error-Message": f"{code}: {message}"})


def policy_json(c: Customer, pcrf: Pcrf) -> dict:
    assert c.mobile is not None
    return {
        "msisdn": c.mobile.msisdn,
        "policyName": pcrf.policy,
        "qos": {
            "APN-AMBR-DL-kbps": pcrf.qos_down_kbps,
            "APN-AMBR-UL-kbps": min(pcrf.qos_down_kbps, 100_000),
            "QCI": 9,
        },
        "throttled": pcrf.throttled,
        "throttleReason": pcrf.reason or None,
        "usagePercent": pcrf.usage_pct,
        "usageThresholdPercent": 100,
    }


def _find(sb: Sandbox, call: Call) -> tuple[Customer, Pcrf] | Reply:
    c = sb.locate(call.params["msisdn"], (KeyKind.MOBILE,))
    pcrf = sb.platforms(c).pcrf if c else None
    if c is None or pcrf is None:
        return fail(404, "DIAMETER_USER_UNKNOWN", "no policy subscriber")
    return c, pcrf


def _policy(sb: Sandbox, call: Call) -> Reply:
    found = _find(sb, call)
    if isinstance(found, Reply):
        return found
    return Reply(200, {"Result-Code": 2001, "subscriber": policy_json(*found)})


def _resync(sb: Sandbox, call: Call) -> Reply:
    found = _find(sb, call)
    if isinstance(found, Reply):
        return found
    outcome = resync(sb, found[0], "PCRF", system="pcrf")
    if not outcome.ok:
        return fail(409, "NE_REJECTED", outcome.reason)
    return _policy(sb, call)


SYSTEM = System("pcrf", "PCRF", fail)
SAMPLE = by_param("msisdn", KeyKind.MOBILE)
SYSTEM.get(
    "/v1/subscribers/{msisdn}/policy", "Data policy, QoS and throttling state", _policy, SAMPLE
)
SYSTEM.post(
    "/v1/subscribers/{msisdn}/resync",
    "Re-derive the policy from the plan and usage",
    _resync,
    SAMPLE,
    description="Idempotent; answers with the policy after.",
)
ENDPOINTS = SYSTEM.endpoints
