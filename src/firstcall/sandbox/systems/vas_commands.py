"""VAS commands: unsubscribe one SP service or all of them (optionally blocking future orders)."""

from firstcall.sandbox.commands import execute
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Reply
from firstcall.sandbox.model import Customer
from firstcall.sandbox.numbering import KeyKind
from firstcall.sandbox.platforms.mutations import Mutations
from firstcall.sandbox.platforms.state import VasSub
from firstcall.sandbox.systems.vas_render import fail, subscriptions_reply


def unsubscribe(sb: Sandbox, c: Customer, targets: list[VasSub], block: bool) -> Reply:
    live = [s.sub_id for s in targets if s.status == "已订购"]
    m = sb.store.of(c.index)
    block_changes = block and not (m and m.vas_blocked)

    def change(mut: Mutations) -> None:
        for sub_id in live:
            mut.unsubscribed[sub_id] = sb.now()
        mut.vas_blocked = mut.vas_blocked or block

    outcome = execute(
        sb,
        c,
        system="vas",
        command="unsubscribe",
        change=change,
        needed=bool(live) or block_changes,
    )
    if not outcome.ok:
        return fail(409, "NE_REJECTED", outcome.reason)
    return subscriptions_reply(sb, c)


def unsubscribe_one(sb: Sandbox, call: Call) -> Reply:
    sub_id = call.params["subscriptionId"]
    digits = sub_id[2:-1]
    c = sb.customer(int(digits)) if digits.isdigit() and int(digits) < sb.config.customers else None
    subs = (sb.platforms(c).vas or []) if c else []
    target = [s for s in subs if s.sub_id == sub_id]
    if c is None or not target:
        return fail(404, "NO_SUCH_SUBSCRIPTION", "订购关系不存在")
    block = bool((call.body or {}).get("blockFutureOrders", False))
    return unsubscribe(sb, c, target, block)


def unsubscribe_all(sb: Sandbox, call: Call) -> Reply:
    body = call.body if isinstance(call.body, dict) else {}
    number = str(body.get("msisdn", ""))
    c = sb.locate(number, (KeyKind.MOBILE,)) if number else None
    if c is None:
        return fail(404, "UNKNOWN_SUBSCRIBER", "用户不存在")
    return unsubscribe(sb, c, sb.platforms(c).vas or [], bool(body.get("blockFutureOrders")))


def subscription_sample(sb: Sandbox, c: Customer) -> Call | None:
    subs = sb.platforms(c).vas or []
    return (
        Call(params={"subscriptionId": subs[0].sub_id}, body={"blockFutureOrders": False})
        if subs
        else None
    )
