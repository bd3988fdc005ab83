"""SMS centre and SMS gateway (短信中心/网关): delivery records, blocking lists, unblock.

Style: `{"rc": 0, "desc": "ok", ...}`; errors `{"rc": <code>, "desc": ...}` with HTTP status.
"""

from firstcall.sandbox.commands import execute
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Param, Reply
from firstcall.sandbox.model import Customer
from firstcall.sandbox.network import parse_ne
from firstcall.sandbox.numbering import KeyKind
from firstcall.sandbox.platforms.state import Platforms
from firstcall.sandbox.systems.common import System, by_param


def fail(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"rc": status, "desc": message, "code": code})


def _find(sb: Sandbox, number: str) -> tuple[Customer, Platforms] | Reply:
    c = sb.locate(number, (KeyKind.MOBILE,)) if number else None
    p = sb.platforms(c) if c else None
    if c is None or p is None or p.smsc is None:
        return fail(404, "UNKNOWN_SUBSCRIBER", "not a subscriber of this SMSC")
    return c, p


def _messages(sb: Sandbox, call: Call) -> Reply:
    direction = call.query.get("direction", "MT").upper()
    if direction not in ("MT", "MO"):
        return fail(400, "BAD_DIRECTION", "direction is MT (received) or MO (sent)")
    found = _find(sb, call.query.get("msisdn", ""))
    if isinstance(found, Reply):
        return found
    c, p = found
    assert p.smsc is not None and c.mobile is not None
    smsc = parse_ne(p.refs.smsc)
    records = p.smsc.records if direction == "MT" else p.smsc.sent
    return Reply(
        200,
        {
            "rc": 0,
            "desc": "ok",
            "msisdn": c.mobile.msisdn,
            "direction": direction,
            "records": [
                {
                    "msgId": r.msg_id,
                    "orig": r.orig,
                    "dest": r.dest or c.mobile.msisdn,
                    "smsc": smsc.name if smsc else p.refs.smsc,
                    "smscId": p.refs.smsc,
                    "submitTime": r.submitted,
                    "attempts": r.attempts,
                    "status": r.status,
                    "failCause": r.fail_cause or None,
                    "intercept": r.intercept,
                }
                for r in records
            ],
        },
    )


def blocking_json(c: Customer, p: Platforms) -> dict:
    assert p.smsc is not None and c.mobile is not None
    lists = []
    if p.smsc.block_106:
        lists.append("用户设置106屏蔽")
    if p.smsc.spam_intercept:
        lists.append("垃圾短信平台拦截")
    smsc = parse_ne(p.refs.smsc)
    return {
        "rc": 0,
        "desc": "ok",
        "msisdn": c.mobile.msisdn,
        "smscId": p.refs.smsc,
        "smscName": smsc.name if smsc else None,
        "block106": p.smsc.block_106,
        "spamIntercept": p.smsc.spam_intercept,
        "lists": lists,
    }


def _blocking(sb: Sandbox, call: Call) -> Reply:
    found = _find(sb, call.params["msisdn"])
    return found if isinstance(found, Reply) else Reply(200, blocking_json(*found))


def _unblock(sb: Sandbox, call: Call) -> Reply:
    found = _find(sb, call.params["msisdn"])
    if isinstance(found, Reply):
        return found
    c, p = found
    assert p.smsc is not None
    outcome = execute(sb, c, system="smsc", command="unblock", fix_keys=("unblock",))
    if not outcome.ok:
        return fail(409, "NE_REJECTED", outcome.reason)
    return _blocking(sb, call)


SYSTEM = System("smsc", "SMS centre", fail)
MSISDN = by_param("msisdn", KeyKind.MOBILE)
SYSTEM.get(
    "/v1/messages",
    "Messages received (MT) or sent (MO) by a number, with status and failure cause",
    _messages,
    by_param("msisdn", KeyKind.MOBILE, where="query"),
    query=(
        Param("msisdn", "the subscriber's mobile number", required=True),
        Param("direction", "MT (received, default) or MO (sent)"),
    ),
)
SYSTEM.get(
    "/v1/subscribers/{msisdn}/blocking",
    "The number's home SMSC, 106 blocking and spam interception",
    _blocking,
    MSISDN,
)
SYSTEM.post(
    "/v1/subscribers/{msisdn}/unblock",
    "Lift operator-side 106 blocking/interception",
    _unblock,
    MSISDN,
    description="Idempotent; answers with the blocking after.",
)
ENDPOINTS = SYSTEM.endpoints
