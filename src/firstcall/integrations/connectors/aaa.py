"""AAA (broadband RADIUS): the account, its binding, online sessions, closed sessions and the
authentication log; password check and reset, kick, clear binding, resync.

Contract (`/aaa/v1`): `{"status": "ok", …}` with RADIUS attribute names (`User-Name`,
`NAS-Port-Id`, `Acct-Last-Update` …); errors `{"status": "error", "error", "Reply-Message"}`,
HTTP 404 NO_SUCH_USER for an unknown account, HTTP 409 when a command fails.
"""

from typing import Any

from firstcall.integrations.connectors.base import Connector, MalformedResponse
from firstcall.integrations.connectors.doc import Doc, Json, state_of
from firstcall.integrations.connectors.kinds import register

# AAA account status -> FirstCall state.
STATES = {
    "正常": "active",
    "停机": "stopped",
    "欠费": "arrears",
    "到期": "expired",
    "注销": "cancelled",
}
NO_MAC_BINDING = "不绑定"


def _ok(body: Any) -> Doc:
    doc = Doc(body)
    doc.require("status", "ok", "AAA", "error")
    return doc


def user_of(u: Doc) -> Json:
    status = u.text("Account-Status")
    rate = u.obj("Rate-Profile")
    binding = u.obj("Binding")
    mac = binding.text("Calling-Station-Id")
    return {
        "account": u.text("User-Name"),
        "realm": u.text("Realm"),
        "status": status,
        "state": state_of(status, STATES),
        "locked": u.flag("Account-Locked"),
        "product": u.text("Product"),
        "access_type_limit": u.text("Access-Type-Limit"),
        "down_mbps": rate.integer("down-mbps"),
        "up_mbps": rate.integer("up-mbps"),
        "max_sessions": u.integer("Simultaneous-Use"),
        "bound": binding.flag("Bound"),
        "bound_nas_ip": binding.opt_text("NAS-IP-Address"),
        "bound_port": binding.opt_text("NAS-Port-Id"),
        "bound_mac": None if mac == NO_MAC_BINDING else mac,
        "prepaid": u.flag("Prepaid"),
        "password_changed_at": u.opt_text("Password-Changed"),
    }


def session_of(s: Doc) -> Json:
    return {
        "session_id": s.text("Acct-Session-Id"),
        "started_at": s.text("Acct-Start-Time"),
        "last_update_at": s.text("Acct-Last-Update"),
        "duration_s": s.integer("Acct-Session-Time"),
        "interim_interval_s": s.integer("Acct-Interim-Interval"),
        "framed_ip": s.text("Framed-IP-Address"),
        "nas_ip": s.text("NAS-IP-Address"),
        "nas_name": s.text("NAS-Identifier"),
        "nas_id": s.text("NAS-Id"),
        "port": s.text("NAS-Port-Id"),
        "mac": s.text("Calling-Station-Id"),
        "down_mbps": s.integer("Rate-Down-Mbps"),
        "up_mbps": s.integer("Rate-Up-Mbps"),
        "input_bytes": s.integer("Acct-Input-Octets"),
        "output_bytes": s.integer("Acct-Output-Octets"),
        "dns_server_id": s.text("DNS-Server-Id"),
    }


def closed_session_of(s: Doc) -> Json:
    return {
        "session_id": s.text("Acct-Session-Id"),
        "started_at": s.text("Acct-Start-Time"),
        "stopped_at": s.text("Acct-Stop-Time"),
        "terminate_cause": s.text("Acct-Terminate-Cause"),
        "terminate_cause_code": s.integer("Acct-Terminate-Cause-Code"),
        "port": s.text("NAS-Port-Id"),
        "mac": s.text("Calling-Station-Id"),
    }


def auth_record_of(r: Doc) -> Json:
    packet = r.text("Packet-Type")
    if packet not in ("Access-Accept", "Access-Reject"):
        raise MalformedResponse(f"AAA Packet-Type {packet!r}")
    return {
        "time": r.text("Event-Time"),
        "accepted": packet == "Access-Accept",
        "packet_type": packet,
        "reason": r.opt_text("Reason"),
        "reply_message": r.text("Reply-Message"),
        "nas_ip": r.text("NAS-IP-Address"),
        "port": r.text("NAS-Port-Id"),
        "mac": r.text("Calling-Station-Id"),
    }


def sessions_of(body: Any, account: str) -> Json:
    doc = _ok(body)
    return {"account": account, "sessions": [session_of(s) for s in doc.items("sessions")]}


@register
class AaaConnector(Connector):
    kind = "aaa"
    error_keys = ("error", "Reply-Message")

    async def user(self, account: str) -> Json:
        """The broadband account. GET /v1/users/{userName}.

        Returns {account, realm, status (AAA label), state (active|stopped|arrears|expired|
        cancelled|other), locked, product, access_type_limit, down_mbps, up_mbps, max_sessions,
        bound, bound_nas_ip, bound_port (NAS-Port-Id the account is bound to, None if unbound),
        bound_mac (None when MAC is not bound), prepaid, password_changed_at}.
        NotFoundError on 404 NO_SUCH_USER (AAA lacks the account).
        """
        return user_of(_ok(await self.fetch("user", f"/v1/users/{account}")).obj("user"))

    async def sessions(self, account: str) -> Json:
        """Online sessions with their last accounting update. GET /v1/users/{userName}/sessions.
        Returns {account, sessions[{session_id, started_at, last_update_at, duration_s,
        interim_interval_s, framed_ip, nas_ip, nas_name, nas_id, port, mac, down_mbps, up_mbps,
        input_bytes, output_bytes, dns_server_id}]}. A session whose last update is much older
        than its interim interval is stale. NotFoundError on 404 NO_SUCH_USER."""
        return sessions_of(await self.fetch("sessions", f"/v1/users/{account}/sessions"), account)

    async def session_history(self, account: str) -> Json:
        """Closed sessions of the last days. GET /v1/users/{userName}/session-history.
        Returns {account, sessions[{session_id, started_at, stopped_at, terminate_cause
        (RFC 2866 name), terminate_cause_code, port, mac}]}. NotFoundError on 404."""
        body = _ok(await self.fetch("session_history", f"/v1/users/{account}/session-history"))
        return {
            "account": account,
            "sessions": [closed_session_of(s) for s in body.items("sessions")],
        }

    async def auth_log(self, account: str) -> Json:
        """Authentication attempts, newest first, also for names AAA does not know.
        GET /v1/auth-log?userName=…. Returns {account, records[{time, accepted, packet_type,
        reason (无此用户, 密码错, 状态错, 绑定校验错, 超出限制的用户数, OCS_Err … or None),
        reply_message, nas_ip, port, mac}]}."""
        body = _ok(await self.fetch("auth_log", "/v1/auth-log", userName=account))
        return {"account": account, "records": [auth_record_of(r) for r in body.items("records")]}

    async def check_password(self, account: str, password: str) -> Json:
        """Whether a password matches the account; changes nothing.
        POST /v1/users/{userName}/password-check {password}. Returns {account, match}."""
        body = _ok(
            await self.query(
                "check_password", f"/v1/users/{account}/password-check", {"password": password}
            )
        )
        return {"account": account, "match": body.flag("match")}

    async def reset_password(
        self, account: str, idempotency_key: str, new_password: str | None = None
    ) -> Json:
        """Reset the password: to `new_password`, or to a generated one sent by SMS.
        POST /v1/users/{userName}/password-reset {newPassword?}.
        Returns {account, password_changed_at, notice}. CommandRefused on 409."""
        payload = {"newPassword": new_password} if new_password else {}
        path = f"/v1/users/{account}/password-reset"
        body = _ok(await self.command("reset_password", path, payload, idempotency_key))
        return {
            "account": body.text("User-Name"),
            "password_changed_at": body.text("Password-Changed"),
            "notice": body.text("Notice"),
        }

    async def kick(self, account: str, idempotency_key: str, session_id: str | None = None) -> Json:
        """Force one session (or all) off line. POST /v1/users/{userName}/kick
        {Acct-Session-Id?}. Returns the sessions left on line, as `sessions`.
        CommandRefused on 409."""
        payload = {"Acct-Session-Id": session_id} if session_id else {}
        body = await self.command("kick", f"/v1/users/{account}/kick", payload, idempotency_key)
        return sessions_of(body, account)

    async def clear_binding(self, account: str, idempotency_key: str) -> Json:
        """Clear the port/VLAN/MAC binding; the next dial binds again.
        POST /v1/users/{userName}/binding/clear. Returns the account after (as `user`).
        CommandRefused on 409."""
        path = f"/v1/users/{account}/binding/clear"
        body = await self.command("clear_binding", path, {}, idempotency_key)
        return user_of(_ok(body).obj("user"))

    async def resync(self, account: str, idempotency_key: str) -> Json:
        """Rewrite the account from CRM (status, product, rate template, lock), creating it if
        AAA lacks it. POST /v1/users/{userName}/resync. Returns the account after (as `user`).
        CommandRefused on 409."""
        body = await self.command("resync", f"/v1/users/{account}/resync", {}, idempotency_key)
        return user_of(_ok(body).obj("user"))
