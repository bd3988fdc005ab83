"""Billing: the account (balance, arrears, credit), bills with their SP lines, payments, credits,
refund requests and voice itemised records.

Contract (`/billing/v2`): `{"code": 0, "message": "OK", …}`; money as strings of yuan ("12.40"),
except payment amounts (numbers of yuan); not found is HTTP 404 `{"code", "message", "error"}`.
"""

from typing import Any

from firstcall.integrations.connectors.base import Connector
from firstcall.integrations.connectors.doc import Doc, Json, state_of
from firstcall.integrations.connectors.kinds import register

PAY_MODES = {"预付费": "prepaid", "后付费": "postpaid", "准预付费": "quasi_prepaid"}
ACCOUNT_STATES = {
    "正常": "normal",
    "欠费": "arrears",
    "托收失败": "collection_failed",
    "销账中": "settling",
}


def _ok(body: Any) -> Doc:
    doc = Doc(body)
    doc.require("code", 0, "billing", "message")
    return doc


def payment_of(p: Doc) -> Json:
    return {
        "time": p.text("time"),
        "channel": p.text("channel"),
        "amount": p.yuan("amount"),
        "status": p.text("status"),
    }


def account_of(a: Doc) -> Json:
    status = a.text("acct_status")
    arrears = a.yuan("arrears")
    last = a.opt_obj("last_payment")
    return {
        "acct_id": a.text("acct_id"),
        "cust_id": a.text("cust_id"),
        "pay_mode": state_of(a.text("pay_mode"), PAY_MODES),
        "pay_mode_label": a.text("pay_mode"),
        "pay_channel": a.text("pay_channel"),
        "balance": a.yuan("balance"),
        "credit_limit": a.yuan("credit_limit"),
        "arrears": arrears,
        "late_fee": a.yuan("late_fee"),
        "status": status,
        "state": state_of(status, ACCOUNT_STATES),
        "in_arrears": arrears > 0 or status == "欠费",
        "bill_cycle": a.text("bill_cycle"),
        "reminder": a.opt_text("reminder"),
        "stop_policy": a.text("stop_policy"),
        "last_payment": payment_of(last) if last is not None else None,
    }


def bill_item_of(i: Doc) -> Json:
    sp = i.opt_obj("sp")
    return {
        "item_id": i.text("item_id"),
        "name": i.text("item_name"),
        "amount": i.yuan("amount"),
        "agency_charge": i.flag("agency_charge"),
        "sp": None
        if sp is None
        else {
            "sp_name": sp.text("sp_name"),
            "sp_code": sp.text("sp_code"),
            "service_code": sp.text("service_code"),
            "service_name": sp.text("service_name"),
            "charge_type": sp.text("charge_type"),
        },
    }


def adjustment_of(a: Doc) -> Json:
    return {
        "adjustment_id": a.text("adjustment_id"),
        "item_id": a.text("item_id"),
        "item_name": a.text("item_name"),
        "amount": a.yuan("amount"),
        "reason": a.text("reason"),
        "status": a.text("status"),
        "time": a.text("time"),
    }


@register
class BillingConnector(Connector):
    kind = "billing"
    error_keys = ("error", "message")

    async def account(self, number: str) -> Json:
        """The account paying for a service number. GET /v2/accounts?service_no=….

        Returns {acct_id, cust_id, pay_mode (prepaid|postpaid|quasi_prepaid|other),
        pay_mode_label, pay_channel, balance, credit_limit, arrears, late_fee (yuan), status
        (label), state (normal|arrears|collection_failed|settling|other), in_arrears, bill_cycle,
        reminder, stop_policy, last_payment{time, channel, amount, status} | None}.
        NotFoundError on 404 ACCOUNT_NOT_FOUND.
        """
        body = _ok(await self.fetch("account", "/v2/accounts", service_no=number))
        return account_of(body.obj("account"))

    async def account_by_id(self, acct_id: str) -> Json:
        """The account by id. GET /v2/accounts/{acctId}. Returns the same shape as `account`;
        NotFoundError on 404."""
        return account_of(
            _ok(await self.fetch("account", f"/v2/accounts/{acct_id}")).obj("account")
        )

    async def bills(self, acct_id: str) -> Json:
        """The last three closed bills. GET /v2/accounts/{acctId}/bills.
        Returns {acct_id, bills[{bill_cycle, total, items[{item_id, name, amount, agency_charge,
        sp{sp_name, sp_code, service_code, service_name, charge_type} | None}]}]}."""
        body = _ok(await self.fetch("bills", f"/v2/accounts/{acct_id}/bills"))
        bills = [
            {
                "bill_cycle": b.text("bill_cycle"),
                "total": b.yuan("total"),
                "items": [bill_item_of(i) for i in b.items("items")],
            }
            for b in body.items("bills")
        ]
        return {"acct_id": body.text("acct_id"), "bills": bills}

    async def payments(self, acct_id: str) -> Json:
        """Payments, newest first. GET /v2/accounts/{acctId}/payments.
        Returns {acct_id, payments[{time, channel, amount, status}]}."""
        body = _ok(await self.fetch("payments", f"/v2/accounts/{acct_id}/payments"))
        payments = [payment_of(p) for p in body.items("payments")]
        return {"acct_id": body.text("acct_id"), "payments": payments}

    async def credits(self, acct_id: str) -> Json:
        """Credits booked to the account (points redemptions, gifts).
        GET /v2/accounts/{acctId}/credits. Returns {acct_id, credits[{time, source, amount,
        note}]}."""
        body = _ok(await self.fetch("credits", f"/v2/accounts/{acct_id}/credits"))
        credits = [
            {
                "time": c.text("time"),
                "source": c.text("source"),
                "amount": c.yuan("amount"),
                "note": c.text("note"),
            }
            for c in body.items("credits")
        ]
        return {"acct_id": body.text("acct_id"), "credits": credits}

    async def adjustments(self, acct_id: str) -> Json:
        """Refund and adjustment requests. GET /v2/accounts/{acctId}/adjustments.
        Returns {acct_id, adjustments[{adjustment_id, item_id, item_name, amount, reason,
        status, time}]}."""
        body = _ok(await self.fetch("adjustments", f"/v2/accounts/{acct_id}/adjustments"))
        adjustments = [adjustment_of(a) for a in body.items("adjustments")]
        return {"acct_id": body.text("acct_id"), "adjustments": adjustments}

    async def voice_records(self, number: str) -> Json:
        """Voice itemised records (详单) of a mobile number. GET /v2/cdrs?service_no=….
        Returns {number, records[{start_time, direction, other_party, duration, location, fee,
        note}]}. NotFoundError when the number has none (404 SUBSCRIBER_NOT_FOUND)."""
        body = _ok(await self.fetch("voice_records", "/v2/cdrs", service_no=number))
        records = [
            {
                "start_time": r.text("start_time"),
                "direction": r.text("direction"),
                "other_party": r.text("other_party"),
                "duration": r.text("duration"),
                "location": r.text("location"),
                "fee": r.yuan("fee"),
                "note": r.text("note"),
            }
            for r in body.items("records")
        ]
        return {"number": body.text("service_no"), "records": records}

    async def refund(self, acct_id: str, item_id: str, reason: str, idempotency_key: str) -> Json:
        """Raise a refund request for one bill line (退费申请); one request per line, a repeat
        returns it. POST /v2/accounts/{acctId}/adjustments {item_id, reason}.
        Returns the adjustment {adjustment_id, item_id, item_name, amount, reason, status, time}.
        NotFoundError when the line is not on the account's bills."""
        body = await self.command(
            "refund",
            f"/v2/accounts/{acct_id}/adjustments",
            {"item_id": item_id, "reason": reason},
            idempotency_key,
        )
        return adjustment_of(_ok(body).obj("adjustment"))
