"""Billing's envelope, errors and account rendering, shared by its reads and commands."""

from typing import Any

from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Reply
from firstcall.sandbox.model import Customer
from firstcall.sandbox.numbering import KeyKind
from firstcall.sandbox.platforms.state import Billing
from firstcall.sandbox.systems.common import SERVICE_KINDS, yuan

STOP_POLICY = "余额+信用度<0 单停；再欠 15 天双停"


def ok(**data: Any) -> Reply:
    return Reply(200, {"code": 0, "message": "OK", **data})


def fail(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"code": status * 100 + 1, "message": message, "error": code})


def account_json(c: Customer, b: Billing, cycle: str) -> dict:
    last = b.payments[0] if b.payments else None
    return {
        "acct_id": c.acct_id,
        "cust_id": c.cust_id,
        "pay_mode": c.pay_mode,
        "pay_channel": c.pay_channel,
        "balance": yuan(b.balance),
        "credit_limit": yuan(b.credit_limit),
        "arrears": yuan(b.arrears),
        "late_fee": yuan(round(b.arrears * 0.03, 2)),
        "acct_status": b.acct_status,
        "bill_cycle": cycle,
        "reminder": b.reminder or None,
        "stop_policy": STOP_POLICY,
        "last_payment": last,
    }


def find_account(sb: Sandbox, call: Call) -> tuple[Customer | None, Reply | None]:
    acct = call.params.get("acctId")
    if acct:
        c = sb.locate(acct, (KeyKind.ACCOUNT,))
    else:
        number = call.query.get("service_no", "")
        if not number:
            return None, fail(400, "MISSING_PARAMETER", "service_no is required")
        c = sb.locate(number, SERVICE_KINDS)
    if c is None:
        return None, fail(404, "ACCOUNT_NOT_FOUND", "account not found")
    return c, None


def cycle(sb: Sandbox) -> str:
    return f"{sb.config.epoch:%Y%m}"
