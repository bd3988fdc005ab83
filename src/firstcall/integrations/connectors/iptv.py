"""IPTV platform: the IPTV account with its bound and current set-top box, last authentication and
multicast right; rebind the STB, resync the account from CRM.

Contract (`/iptv/v1`): `{"errorCode": 0, "errorMsg": "", "account": …}`; errors `{"errorCode",
"errorMsg", "code"}`, HTTP 404 USER_NOT_FOUND, HTTP 409 when the platform fails a command.
"""

from typing import Any

from firstcall.integrations.connectors.base import Connector
from firstcall.integrations.connectors.doc import Doc, Json, state_of
from firstcall.integrations.connectors.kinds import register

STATES = {"正常": "active", "停机": "stopped", "欠费停机": "arrears_stopped", "注销": "cancelled"}


def account_of(body: Any) -> Json:
    doc = Doc(body)
    doc.require("errorCode", 0, "IPTV", "errorMsg")
    a = doc.obj("account")
    status = a.text("status")
    bound, current = a.obj("boundStb"), a.obj("currentStb")
    auth, access, epg = a.obj("lastAuth"), a.obj("access"), a.obj("epgNode")
    bound_mac, current_mac = bound.text("mac"), current.text("mac")
    return {
        "account": a.text("userId"),
        "status": status,
        "state": state_of(status, STATES),
        "package": a.text("package"),
        "bound_stb_mac": bound_mac,
        "bound_stb_sn": bound.text("sn"),
        "current_stb_mac": current_mac,
        "stb_matches": bound_mac.lower() == current_mac.lower(),
        "bound_broadband": a.text("bindBroadband"),
        "last_auth_at": auth.text("time"),
        "last_auth_result": auth.text("result"),
        "last_auth_ok": auth.text("result") == "成功",
        "multicast": a.flag("multicastRight"),
        "access_mode": access.text("mode"),
        "vlan": access.integer("vlan"),
        "ont_port": access.text("ontPort"),
        "epg_ne_id": epg.text("neId"),
        "epg_ne_name": epg.text("neName"),
    }


@register
class IptvConnector(Connector):
    kind = "iptv"
    error_keys = ("code", "errorMsg")

    async def account(self, itv_account: str) -> Json:
        """The IPTV account (itv…). GET /v1/accounts/{account}.

        Returns {account, status (label), state (active, stopped, arrears_stopped, cancelled,
        other), package, bound_stb_mac, bound_stb_sn, current_stb_mac (the STB that last tried
        to authenticate), stb_matches, bound_broadband, last_auth_at, last_auth_result,
        last_auth_ok, multicast (live-TV right), access_mode, vlan, ont_port, epg_ne_id,
        epg_ne_name}. NotFoundError on 404 USER_NOT_FOUND (the platform lacks the account).
        """
        return account_of(await self.fetch("account", f"/v1/accounts/{itv_account}"))

    async def rebind(
        self, itv_account: str, idempotency_key: str, stb_mac: str | None = None
    ) -> Json:
        """Bind the STB in use (or the given MAC) to the account.
        POST /v1/accounts/{account}/rebind {stbMac?}. Returns the account after (as
        `account`). CommandRefused on 409."""
        payload = {"stbMac": stb_mac} if stb_mac else {}
        path = f"/v1/accounts/{itv_account}/rebind"
        return account_of(await self.command("rebind", path, payload, idempotency_key))

    async def resync(self, itv_account: str, idempotency_key: str) -> Json:
        """Rewrite the account from CRM (creating it if missing; status, multicast right).
        POST /v1/accounts/{account}/resync. Returns the account after (as `account`).
        CommandRefused on 409."""
        path = f"/v1/accounts/{itv_account}/resync"
        return account_of(await self.command("resync", path, {}, idempotency_key))
