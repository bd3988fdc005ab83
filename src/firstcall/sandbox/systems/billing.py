"""Billing (计费账务): account, bills with 代收费 lines, itemised records, payments, refunds.

Style: `{"code": 0, "message": "OK", ...}` with snake_case fields and money as strings with two
decimals; errors use real HTTP statuses with `{"code": 40401, "message": ...}`.
"""

from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import NUMBER, STRING, Call, Param, Reply, body_schema
from firstcall.sandbox.numbering import KeyKind
from firstcall.sandbox.systems.billing_bills import read_bills, read_cdrs
from firstcall.sandbox.systems.billing_commands import adjust, adjust_sample, pay
from firstcall.sandbox.systems.billing_common import account_json, cycle, fail, find_account, ok
from firstcall.sandbox.systems.common import SERVICE_KINDS, System, by_param


def _get_account(sb: Sandbox, call: Call) -> Reply:
    c, error = find_account(sb, call)
    if c is None:
        return error  # type: ignore[return-value]
    return ok(account=account_json(c, sb.platforms(c).billing, cycle(sb)))


def _list(field: str):
    def handler(sb: Sandbox, call: Call) -> Reply:
        c, error = find_account(sb, call)
        if c is None:
            return error  # type: ignore[return-value]
        return ok(acct_id=c.acct_id, **{field: getattr(sb.platforms(c).billing, field)})

    return handler


SYSTEM = System("billing", "Billing", fail)
ACCT = by_param("acctId", KeyKind.ACCOUNT)
SYSTEM.get(
    "/v2/accounts",
    "The account of a service number",
    _get_account,
    by_param("service_no", *SERVICE_KINDS, where="query"),
    query=(Param("service_no", "any service number of the customer", required=True),),
)
SYSTEM.get(
    "/v2/accounts/{acctId}", "Account: balance, arrears, credit limit, status", _get_account, ACCT
)
SYSTEM.get(
    "/v2/accounts/{acctId}/bills",
    "The last three closed bills with their line items (代收费 lines carry the SP)",
    read_bills,
    ACCT,
)
SYSTEM.get("/v2/accounts/{acctId}/payments", "Payments, newest first", _list("payments"), ACCT)
SYSTEM.get(
    "/v2/accounts/{acctId}/credits",
    "Credits booked to the account (points redemptions, gifts)",
    _list("credits"),
    ACCT,
)
SYSTEM.get(
    "/v2/accounts/{acctId}/adjustments",
    "Refund and adjustment requests",
    _list("adjustments"),
    ACCT,
)
SYSTEM.get(
    "/v2/cdrs",
    "Voice itemised records (详单) of a mobile number",
    read_cdrs,
    by_param("service_no", KeyKind.MOBILE, where="query"),
    query=(Param("service_no", "mobile number", required=True),),
)
SYSTEM.post(
    "/v2/accounts/{acctId}/payments",
    "Book a payment (sandbox: the customer pays)",
    pay,
    lambda sb, c: Call(
        params={"acctId": c.acct_id},
        body={"amount": 200.0, "channel": "微信"},
        key=f"pay-{c.index}",
    ),
    description="Body {amount, channel}; needs Idempotency-Key. Paying off the arrears "
    "resumes stopped service (缴费后自动复机).",
    body=body_schema("amount", amount=NUMBER, channel=STRING),
)
SYSTEM.post(
    "/v2/accounts/{acctId}/adjustments",
    "Raise a refund for one bill line (退费申请)",
    adjust,
    lambda sb, c: adjust_sample(sb, c),
    description="Body {item_id, reason}; one request per bill line, repeats return it.",
    body=body_schema("item_id", item_id=STRING, reason=STRING),
)


ENDPOINTS = SYSTEM.endpoints
