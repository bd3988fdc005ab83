"""Loyalty points (积分系统/积分商城): balance, expiry, redemptions; resend a benefit.

Style: `{"status": "SUCCESS", "data": {...}}`; errors `{"status": "FAIL", "errCode", "errMsg"}`.
"""

from firstcall.sandbox.commands import execute
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Reply
from firstcall.sandbox.model import Customer
from firstcall.sandbox.numbering import index_in_record_id
from firstcall.sandbox.platforms.mutations import Mutations
from firstcall.sandbox.systems.common import SERVICE_KINDS, System, by_param


def fail(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"status": "FAIL", "errCode": code, "errMsg": message})


def _member(sb: Sandbox, call: Call) -> Customer | Reply:
    c = sb.locate(call.params["serviceNo"], SERVICE_KINDS)
    return c if c else fail(404, "MEMBER_NOT_FOUND", "会员不存在")


def _account(sb: Sandbox, call: Call) -> Reply:
    c = _member(sb, call)
    if isinstance(c, Reply):
        return c
    pts = sb.platforms(c).points
    year = sb.config.epoch.year
    return Reply(
        200,
        {
            "status": "SUCCESS",
            "data": {
                "memberId": "M" + c.cust_id,
                "available": pts.available,
                "frozen": pts.frozen,
                "expiring": [
                    {"year": year - 2, "points": pts.expiring, "expireDate": f"{year}-12-31"}
                ]
                if pts.expiring
                else [],
                "accrualRule": "消费1元=1分，星级倍增",
                "accrualPaused": pts.accrual_paused,
            },
        },
    )


def redemption_json(r: dict) -> dict:
    return {
        "orderId": r["order_id"],
        "gift": r["gift"],
        "giftType": r["kind"],
        "points": r["points"],
        "placedTime": r["placed"],
        "channel": r["channel"],
        "status": r["status"],
        "failReason": r["reason"] or None,
        "tracking": r["tracking"] or None,
        "logistics": r["logistics"] or None,
        "promised": r["promised"],
        "pointsRefunded": r["points_refunded"],
    }


def _redemptions(sb: Sandbox, call: Call) -> Reply:
    c = _member(sb, call)
    if isinstance(c, Reply):
        return c
    return Reply(
        200,
        {
            "status": "SUCCESS",
            "data": {
                "redemptions": [redemption_json(r) for r in sb.platforms(c).points.redemptions]
            },
        },
    )


def _resend(sb: Sandbox, call: Call) -> Reply:
    order_id = call.params["orderId"]
    index = index_in_record_id(order_id)
    c = sb.customer(index) if index is not None and index < sb.config.customers else None
    records = sb.platforms(c).points.redemptions if c else []
    record = next((r for r in records if r["order_id"] == order_id), None)
    if c is None or record is None:
        return fail(404, "ORDER_NOT_FOUND", "兑换订单不存在")
    if record["kind"] == "实物":
        return fail(409, "NOT_A_BENEFIT", "实物订单不能重发权益，请催办物流")

    def change(m: Mutations) -> None:
        m.resent_redemptions[order_id] = sb.now()

    outcome = execute(
        sb,
        c,
        system="points",
        command="resend",
        fix_keys=("resend_points",),
        change=change,
        needed=record["status"] == "处理中",
    )
    if not outcome.ok:
        return fail(409, "NE_REJECTED", outcome.reason)
    after = next(r for r in sb.platforms(c).points.redemptions if r["order_id"] == order_id)
    return Reply(200, {"status": "SUCCESS", "data": redemption_json(after)})


def _order_sample(sb: Sandbox, c: Customer) -> Call | None:
    records = [r for r in sb.platforms(c).points.redemptions if r["kind"] != "实物"]
    return Call(params={"orderId": records[0]["order_id"]}) if records else None


SYSTEM = System("points", "Points", fail)
MEMBER = by_param("serviceNo", *SERVICE_KINDS)
SYSTEM.get(
    "/api/members/{serviceNo}",
    "Points account: available, frozen, expiring by year",
    _account,
    MEMBER,
)
SYSTEM.get(
    "/api/members/{serviceNo}/redemptions",
    "Redemption orders with status, failure reason and logistics",
    _redemptions,
    MEMBER,
)
SYSTEM.post(
    "/api/redemptions/{orderId}/resend",
    "Resend the benefit (airtime, data) of a redemption not credited",
    _resend,
    _order_sample,
    description="Only for 话费/流量 orders; 409 for physical gifts.",
)
ENDPOINTS = SYSTEM.endpoints
