"""Admin handlers about customers: ground truth, forcing conditions, samples."""

from firstcall.sandbox.conditions import BY_NAME, HEALTHY
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Reply
from firstcall.sandbox.model import Customer
from firstcall.sandbox.truth import ground_truth

MAX_SAMPLES = 200


def primary_key(name: str, c: Customer) -> str:
    """The key an agent would type for a customer with this condition."""
    branches = BY_NAME[name].branches if name in BY_NAME else ()
    if any(b.startswith("F-BB") for b in branches) and c.broadband:
        return c.broadband.account
    if any(b.startswith("F-IPTV") for b in branches) and c.iptv:
        return c.iptv.account
    return c.service_number


def customer_of(sb: Sandbox, call: Call) -> Customer | Reply:
    c = sb.locate(call.params["number"])
    return c if c else fail(404, "UNKNOWN_NUMBER", "no customer has this key")


def read_truth(sb: Sandbox, call: Call) -> Reply:
    c = customer_of(sb, call)
    return c if isinstance(c, Reply) else Reply(200, ground_truth(sb, c))


def force_conditions(sb: Sandbox, call: Call) -> Reply:
    c = customer_of(sb, call)
    if isinstance(c, Reply):
        return c
    names = (call.body or {}).get("conditions") if isinstance(call.body, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return fail(400, "BAD_BODY", 'body must be {"conditions": ["name", ...]}')
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        return fail(422, "UNKNOWN_CONDITION", f"unknown: {', '.join(unknown)}")
    unfit = [n for n in names if not BY_NAME[n].needs(c.profile)]
    if unfit:
        return fail(
            422, "NOT_APPLICABLE", f"the customer lacks the products of: {', '.join(unfit)}"
        )
    m = sb.store.edit(c.index)
    m.forced, m.cleared = tuple(dict.fromkeys(names)), set()
    return Reply(200, ground_truth(sb, c))


def unforce_conditions(sb: Sandbox, call: Call) -> Reply:
    c = customer_of(sb, call)
    if isinstance(c, Reply):
        return c
    m = sb.store.of(c.index)
    if m is not None and (m.forced is not None or m.cleared):
        m = sb.store.edit(c.index)
        m.forced, m.cleared = None, set()
    return Reply(200, ground_truth(sb, c))


def samples(sb: Sandbox, call: Call) -> Reply:
    name = call.query.get("condition", HEALTHY)
    try:
        limit = max(1, min(MAX_SAMPLES, int(call.query.get("limit", "10"))))
        start = max(0, int(call.query.get("start", "0")))
    except ValueError:
        return fail(400, "BAD_PARAMETER", "limit and start must be integers")
    if name != HEALTHY and name not in BY_NAME:
        return fail(422, "UNKNOWN_CONDITION", f"unknown condition {name}")
    found = []
    for index in sb.with_condition(name, start=start):
        c = sb.customer(index)
        found.append(
            {
                "index": index,
                "number": primary_key(name, c),
                "keys": c.keys,
                "conditions": sb.conditions(index)[0],
            }
        )
        if len(found) >= limit:
            break
    return Reply(200, {"condition": name, "count": len(found), "customers": found})


def fail(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"error": code, "message": message})
