"""OCS (online charging): real-time balance, account books, stop state and data quota of a mobile
number, or the account book of a prepaid broadband account.

Contract (`/ocs/v1`): `{"retCode": "0000", "retMsg", "subscriber"}`, money in integer fen; not
found is HTTP 404 `{"retCode": "2001", "retMsg", "errorCode"}`.
"""

from typing import Any

from firstcall.integrations.connectors.base import Connector
from firstcall.integrations.connectors.doc import Doc, Json, state_of
from firstcall.integrations.connectors.kinds import register

# OCS subscriber state -> FirstCall state.
STATES = {
    "正常": "active",
    "单停": "one_way_stopped",
    "双停": "two_way_stopped",
    "关停": "shutdown",
    "挂失": "reported_lost",
    "停机保号": "user_stopped",
}


def _subscriber(body: Any) -> Doc:
    doc = Doc(body)
    doc.require("retCode", "0000", "OCS", "retMsg")
    return doc.obj("subscriber")


def subscriber_of(s: Doc) -> Json:
    """Mobile subscribers carry state, balances, offer, add-ons and data; a prepaid broadband
    account only its books (the other keys are None)."""
    label = s.opt_text("subscriberState")
    data = s.opt_obj("data")
    roaming = s.opt_obj("roamingPack")
    return {
        "number": s.text("serviceNo"),
        "service_type": s.text("serviceType"),
        "pay_type": s.text("payType"),
        "status": label,
        "state": state_of(label, STATES) if label is not None else None,
        "state_code": s.opt_text("stateCode"),
        "balance": s.fen("balanceFen") if s.has("balanceFen") else None,
        "credit": s.fen("creditFen") if s.has("creditFen") else None,
        "available": s.fen("availableFen") if s.has("availableFen") else None,
        "offer_id": s.opt_text("offerId"),
        "add_ons": s.texts("addOns") if s.has("addOns") else [],
        "books": [
            {
                "type": b.text("bookType"),
                "balance": b.fen("balanceFen"),
                "expire_date": b.opt_text("expireDate"),
            }
            for b in s.items("accountBooks")
        ],
        "data": None
        if data is None
        else {
            "quota_mb": data.integer("quotaMb"),
            "used_mb": data.integer("usedMb"),
            "remaining_mb": data.integer("remainingMb"),
            "cap_set_by_user": data.flag("capSetByUser"),
            "blocked": data.flag("blocked"),
            "throttled": data.flag("throttled"),
        },
        "roaming_pack": None
        if roaming is None
        else {
            "name": roaming.text("name"),
            "quota_mb": roaming.integer("quota_mb"),
            "used_mb": roaming.integer("used_mb"),
            "capped": roaming.flag("capped"),
        },
    }


@register
class OcsConnector(Connector):
    kind = "ocs"
    error_keys = ("retCode", "retMsg")

    async def subscriber(self, number: str) -> Json:
        """Real-time charging state of a mobile number or a prepaid broadband account.
        GET /v1/subscribers/{serviceNo}.

        Returns {number, service_type (mobile|broadband), pay_type (prepaid|postpaid), status
        (OCS label), state (active, one_way_stopped, two_way_stopped, shutdown, reported_lost,
        user_stopped, other; None for broadband), state_code, balance, credit, available (yuan;
        None for broadband), offer_id, add_ons[name], books[{type, balance, expire_date}],
        data{quota_mb, used_mb, remaining_mb, cap_set_by_user, blocked, throttled} | None,
        roaming_pack{name, quota_mb, used_mb, capped} | None}.
        NotFoundError on 404 (not an OCS subscriber, e.g. a postpaid broadband account).
        """
        return subscriber_of(
            _subscriber(await self.fetch("subscriber", f"/v1/subscribers/{number}"))
        )

    async def resync(self, number: str, idempotency_key: str) -> Json:
        """Rewrite the subscriber from CRM. POST /v1/subscribers/{serviceNo}/resync.
        Returns the subscriber as re-read (same shape as `subscriber`). CommandRefused on 409."""
        body = await self.command("resync", f"/v1/subscribers/{number}/resync", {}, idempotency_key)
        return subscriber_of(_subscriber(body))
