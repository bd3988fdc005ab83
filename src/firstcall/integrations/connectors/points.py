"""Points (积分): the member's points account and redemption orders; resend the benefit of a
redemption that was not credited.

Contract (`/points/api`): `{"status": "SUCCESS", "data": …}`; errors `{"status": "FAIL",
"errCode", "errMsg"}`, HTTP 404 MEMBER_NOT_FOUND / ORDER_NOT_FOUND, HTTP 409 when the resend is
refused (a physical gift) or fails.
"""

from typing import Any

from firstcall.integrations.connectors.base import Connector
from firstcall.integrations.connectors.doc import Doc, Json, state_of
from firstcall.integrations.connectors.kinds import register

STATES = {
    "已受理": "accepted",
    "处理中": "processing",
    "已发货": "shipped",
    "已签收": "delivered",
    "已到账": "credited",
    "失败": "failed",
    "已退回": "returned",
}


def _data(body: Any) -> Doc:
    doc = Doc(body)
    doc.require("status", "SUCCESS", "points", "errCode")
    return doc.obj("data")


def redemption_of(r: Doc) -> Json:
    status = r.text("status")
    return {
        "order_id": r.text("orderId"),
        "gift": r.text("gift"),
        "gift_type": r.text("giftType"),
        "points": r.integer("points"),
        "placed_at": r.text("placedTime"),
        "channel": r.text("channel"),
        "status": status,
        "state": state_of(status, STATES),
        "fail_reason": r.opt_text("failReason"),
        "tracking": r.opt_text("tracking"),
        "logistics": r.opt_text("logistics"),
        "promised": r.text("promised"),
        "points_refunded": r.opt_flag("pointsRefunded"),
    }


@register
class PointsConnector(Connector):
    kind = "points"
    error_keys = ("errCode", "errMsg")

    async def member(self, number: str) -> Json:
        """The points account of the customer owning any service number.
        GET /api/members/{serviceNo}. Returns {member_id, available, frozen,
        expiring[{year, points, expire_date}], accrual_rule, accrual_paused}.
        NotFoundError on 404 MEMBER_NOT_FOUND."""
        d = _data(await self.fetch("member", f"/api/members/{number}"))
        return {
            "member_id": d.text("memberId"),
            "available": d.integer("available"),
            "frozen": d.integer("frozen"),
            "expiring": [
                {
                    "year": e.integer("year"),
                    "points": e.integer("points"),
                    "expire_date": e.text("expireDate"),
                }
                for e in d.items("expiring")
            ],
            "accrual_rule": d.text("accrualRule"),
            "accrual_paused": d.flag("accrualPaused"),
        }

    async def redemptions(self, number: str) -> Json:
        """Redemption orders. GET /api/members/{serviceNo}/redemptions.

        Returns {number, redemptions[{order_id, gift, gift_type (话费|流量|实物), points,
        placed_at, channel, status (label), state (accepted, processing, shipped, delivered,
        credited, failed, returned, other), fail_reason, tracking, logistics, promised,
        points_refunded (None unless the order failed)}]}. NotFoundError on 404.
        """
        d = _data(await self.fetch("redemptions", f"/api/members/{number}/redemptions"))
        return {"number": number, "redemptions": [redemption_of(r) for r in d.items("redemptions")]}

    async def resend(self, order_id: str, idempotency_key: str) -> Json:
        """Resend the airtime or data benefit of a redemption that was not credited.
        POST /api/redemptions/{orderId}/resend. Returns the redemption after (as one item of
        `redemptions`). NotFoundError on 404 ORDER_NOT_FOUND; CommandRefused on 409 (a physical
        gift, or the platform failed)."""
        path = f"/api/redemptions/{order_id}/resend"
        return redemption_of(_data(await self.command("resend", path, {}, idempotency_key)))
