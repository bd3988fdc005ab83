"""Billing commands: book a payment (the customer pays), raise a refund for a bill line."""

from firstcall.sandbox.commands import execute
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Reply
from firstcall.sandbox.model import Customer
from firstcall.sandbox.platforms.mutations import Mutations
from firstcall.sandbox.systems.billing_common import account_json, cycle, fail, find_account, ok
from firstcall.sandbox.systems.common import yuan


def pay(sb: Sandbox, call: Call) -> Reply:
    c, error = find_account(sb, call)
    if c is None:
        return error  # type: ignore[return-value]
    body = call.body if isinstance(call.body, dict) else {}
    try:
        amount = round(float(body.get("amount", 0)), 2)
    except (TypeError, ValueError):
        amount = 0.0
    if amount <= 0:
        return fail(400, "BAD_AMOUNT", "amount must be a positive number of yuan")
    if not call.key:
        return fail(428, "IDEMPOTENCY_KEY_REQUIRED", "payments need an Idempotency-Key header")
    owed = sb.platforms(c).billing.arrears
    paid_off = owed <= amount
    channel = str(body.get("channel", "第三方支付"))

    def change(m: Mutations) -> None:
        m.payments.append(
            {
                "time": sb.now().isoformat(timespec="seconds"),
                "channel": channel,
                "amount": amount,
                "status": "已到账",
            }
        )
        if paid_off:
            m.settled += owed

    execute(
        sb,
        c,
        system="billing",
        command="payment",
        fix_keys=("payment",) if paid_off else (),
        change=change,
        needed=True,
        repair=False,
    )
    return ok(account=account_json(c, sb.platforms(c).billing, cycle(sb)))


def adjust(sb: Sandbox, call: Call) -> Reply:
    c, error = find_account(sb, call)
    if c is None:
        return error  # type: ignore[return-value]
    body = call.body if isinstance(call.body, dict) else {}
    item_id = str(body.get("item_id", ""))
    items = {i.item_id: i for bill in sb.platforms(c).billing.bills for i in bill.items}
    if item_id not in items:
        return fail(404, "BILL_ITEM_NOT_FOUND", "item_id is not on this account's bills")
    item = items[item_id]
    record = {
        "adjustment_id": f"TZ{item_id.replace('-', '')}{c.index % 10_000:04d}",
        "item_id": item_id,
        "item_name": item.name,
        "amount": yuan(item.amount),
        "reason": str(body.get("reason", "计费争议退费")),
        "status": "已受理",
    }

    def change(m: Mutations) -> None:
        m.adjustments[item_id] = {**record, "time": sb.now().isoformat(timespec="seconds")}

    m = sb.store.of(c.index)
    done = m is not None and item_id in m.adjustments
    execute(
        sb, c, system="billing", command="adjustment", change=change, needed=not done, repair=False
    )
    stored = sb.store.of(c.index)
    assert stored is not None
    return ok(adjustment=stored.adjustments[item_id])


def adjust_sample(sb: Sandbox, c: Customer) -> Call | None:
    bills = sb.platforms(c).billing.bills
    items = [i for bill in bills for i in bill.items]
    if not items:
        return None
    return Call(
        params={"acctId": c.acct_id}, body={"item_id": items[-1].item_id, "reason": "计费争议退费"}
    )
