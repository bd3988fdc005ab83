"""Broadband AAA / RADIUS: accounts, binding, online sessions, session history, auth log.

Style: RADIUS attribute names (`User-Name`, `NAS-Port-Id`, `Acct-Session-Id` ...) inside
`{"status": "ok", ...}`; errors are `{"status": "error", "error": CODE, "Reply-Message": text}`
with a real HTTP status (404 for 无此用户). Sessions carry `Acct-Last-Update` (the last interim
accounting update); with `Acct-Interim-Interval` 900 s a session silent for much longer is stale.
"""

from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Param, Reply
from firstcall.sandbox.numbering import KeyKind
from firstcall.sandbox.systems import aaa_commands
from firstcall.sandbox.systems.aaa_lookup import fail, find, read_sessions, read_user
from firstcall.sandbox.systems.common import System, by_param

CAUSES = {
    1: "User-Request",
    2: "Lost-Carrier",
    3: "Lost-Service",
    4: "Idle-Timeout",
    5: "Session-Timeout",
    6: "Admin-Reset",
    7: "Admin-Reboot",
    8: "Port-Error",
    9: "NAS-Error",
    10: "NAS-Request",
    11: "NAS-Reboot",
}
REPLY_TEXT = {
    "无此用户": "user not found",
    "密码错": "password error",
    "状态错": "account state error",
    "无认证接入校验属性": "access attribute check failed",
    "超出限制的用户数": "max sessions exceeded",
    "绑定校验错": "binding check failed",
    "OCS_Err": "OCS_Err prepaid account check failed",
    "": "authentication ok",
}


def _history(sb: Sandbox, call: Call) -> Reply:
    found = find(sb, call)
    if isinstance(found, Reply):
        return found
    c, a = found
    return Reply(
        200,
        {
            "status": "ok",
            "User-Name": c.broadband.account,  # type: ignore[union-attr]
            "sessions": [
                {
                    "Acct-Session-Id": h.session_id,
                    "Acct-Start-Time": h.started,
                    "Acct-Stop-Time": h.stopped,
                    "Acct-Terminate-Cause": CAUSES.get(h.cause, str(h.cause)),
                    "Acct-Terminate-Cause-Code": h.cause,
                    "NAS-Port-Id": h.nas_port_id,
                    "Calling-Station-Id": h.mac,
                }
                for h in a.history
            ],
        },
    )


def _auth_log(sb: Sandbox, call: Call) -> Reply:
    name = call.query.get("userName", "")
    if not name:
        return fail(400, "MISSING_PARAMETER", "userName is required")
    found = find(sb, call, need_account=False)
    records = found[1].auth_log if not isinstance(found, Reply) else []
    return Reply(
        200,
        {
            "status": "ok",
            "User-Name": name,
            "records": [
                {
                    "Event-Time": r.time,
                    "Packet-Type": r.result,
                    "Reason": r.reason or None,
                    "Reply-Message": REPLY_TEXT.get(r.reason, r.reason),
                    "NAS-IP-Address": r.nas_ip,
                    "NAS-Port-Id": r.nas_port_id,
                    "Calling-Station-Id": r.mac,
                }
                for r in records
            ],
        },
    )


SYSTEM = System("aaa", "AAA", fail)
USER = by_param("userName", KeyKind.BROADBAND)
SYSTEM.get(
    "/v1/users/{userName}",
    "Broadband account: status, lock, product, rate, binding",
    read_user,
    USER,
)
SYSTEM.get(
    "/v1/users/{userName}/sessions",
    "Online sessions (with the last accounting update)",
    read_sessions,
    USER,
)
SYSTEM.get(
    "/v1/users/{userName}/session-history",
    "Closed sessions of the last days with Acct-Terminate-Cause (RFC 2866)",
    _history,
    USER,
)
SYSTEM.get(
    "/v1/auth-log",
    "Authentication log of a user name, newest first (also for user names AAA does not know)",
    _auth_log,
    by_param("userName", KeyKind.BROADBAND, where="query"),
    query=(Param("userName", "broadband account", required=True),),
)
aaa_commands.register(SYSTEM)
ENDPOINTS = SYSTEM.endpoints
