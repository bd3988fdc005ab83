"""SMS centre: messages received (MT) or sent (MO) by a number with status and failure cause; the
number's home SMSC, 106 blocking and spam interception; unblock.

Contract (`/smsc/v1`): `{"rc": 0, "desc": "ok", …}`; errors `{"rc", "desc", "code"}`, HTTP 404
UNKNOWN_SUBSCRIBER, HTTP 409 when the unblock fails.
"""

from typing import Any

from firstcall.integrations.connectors.base import Connector
from firstcall.integrations.connectors.doc import Doc, Json, state_of
from firstcall.integrations.connectors.kinds import register

STATES = {
    "已递交": "delivered",
    "等待重发": "retrying",
    "失败": "failed",
    "过期": "expired",
    "被拦截": "intercepted",
}
NO_INTERCEPT = "否"


def _ok(body: Any) -> Doc:
    doc = Doc(body)
    doc.require("rc", 0, "SMSC", "desc")
    return doc


def message_of(m: Doc) -> Json:
    status = m.text("status")
    intercept = m.text("intercept")
    return {
        "message_id": m.text("msgId"),
        "sender": m.text("orig"),
        "recipient": m.text("dest"),
        "smsc_id": m.text("smscId"),
        "smsc_name": m.text("smsc"),
        "submitted_at": m.text("submitTime"),
        "attempts": m.integer("attempts"),
        "status": status,
        "state": state_of(status, STATES),
        "fail_cause": m.opt_text("failCause"),
        "intercepted_by": None if intercept == NO_INTERCEPT else intercept,
    }


def blocking_of(b: Doc) -> Json:
    block_106, spam = b.flag("block106"), b.flag("spamIntercept")
    return {
        "msisdn": b.text("msisdn"),
        "smsc_id": b.text("smscId"),
        "smsc_name": b.text("smscName"),
        "block_106": block_106,
        "spam_intercept": spam,
        "blocked": block_106 or spam,
        "lists": b.texts("lists"),
    }


@register
class SmscConnector(Connector):
    kind = "smsc"
    error_keys = ("code", "desc")

    async def messages(self, msisdn: str, direction: str = "MT") -> Json:
        """Messages received (MT, default) or sent (MO) by a number.
        GET /v1/messages?msisdn=…&direction=….

        Returns {msisdn, direction, messages[{message_id, sender, recipient, smsc_id, smsc_name,
        submitted_at, attempts, status (label), state (delivered, retrying, failed, expired,
        intercepted, other), fail_cause (MAP cause such as memoryCapacityExceeded, or None),
        intercepted_by (None, or who intercepted: 用户设置106屏蔽, 垃圾短信平台拦截 …)}]}.
        NotFoundError on 404 UNKNOWN_SUBSCRIBER.
        """
        body = _ok(await self.fetch("messages", "/v1/messages", msisdn=msisdn, direction=direction))
        return {
            "msisdn": body.text("msisdn"),
            "direction": body.text("direction"),
            "messages": [message_of(m) for m in body.items("records")],
        }

    async def blocking(self, msisdn: str) -> Json:
        """The number's home SMSC and operator-side blocking.
        GET /v1/subscribers/{msisdn}/blocking. Returns {msisdn, smsc_id, smsc_name, block_106,
        spam_intercept, blocked (either), lists}. NotFoundError on 404 UNKNOWN_SUBSCRIBER."""
        return blocking_of(_ok(await self.fetch("blocking", f"/v1/subscribers/{msisdn}/blocking")))

    async def unblock(self, msisdn: str, idempotency_key: str) -> Json:
        """Lift operator-side 106 blocking and interception.
        POST /v1/subscribers/{msisdn}/unblock. Returns the blocking after (as `blocking`).
        CommandRefused on 409."""
        path = f"/v1/subscribers/{msisdn}/unblock"
        return blocking_of(_ok(await self.command("unblock", path, {}, idempotency_key)))
