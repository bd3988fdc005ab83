"""Checks of an order that has not taken effect (F-MOB-ORDER): the customer's newest CRM order
and why it failed (S1, S4), its provisioning work order (S2), whether the platforms hold what
CRM sold (S3, the comparison of the customer screen), and whether the bill still charges the
plan the order replaced (S5).

Like every check they read through the unified view, so the answers come from the call cache.
The order looked at is the newest one: the one the customer calls about.
"""

import re
from datetime import datetime, timedelta
from typing import Any

from firstcall.core import clock
from firstcall.customers.services import observe
from firstcall.customers.unified import CustomerView, detach
from firstcall.navigation.facts import CheckFailed, T, _missing, _ok, _time, billing_ahead, check

ok = _ok
missing = _missing
parse_time = _time

FIELD_ACTIONS = ("新装", "移机")  # orders the field team has to build
WO_FAILED = ("timed_out", "failed", "partially_failed", "rolled_back")
CHANNEL_ERROR = ("渠道", "工号", "受理差错")
BASE_FEE = "套餐月基本费"
OLD_PLAN = re.compile(r"原套餐(.+?)）")
PRICE = re.compile(r"(\d+(?:\.\d+)?)元")


async def latest_order(view: CustomerView) -> dict[str, Any]:
    """The customer's newest CRM order; empty when CRM has none."""
    customer = await view.customer()
    if not customer.ok:
        raise CheckFailed(customer)
    result = await view.reads.get("crm", "orders", str(customer.data.get("cust_id") or ""))
    orders = [] if missing(result) else ok(result).get("orders") or []
    ordered = sorted(orders, key=lambda o: str(o.get("accepted_at") or ""), reverse=True)
    return ordered[0] if ordered else {}


async def order_product(view: CustomerView, order: dict[str, Any]) -> dict[str, Any]:
    """The product the order is for: of the order's product type, the typed number first."""
    kind = order.get("product_type")
    products = [p for p in await view.products() if p.get("product_type") == kind]
    for p in products:
        if p.get("number") == view.number:
            return p
    return products[0] if products else {}


def effective_from(order: dict[str, Any]) -> datetime | None:
    """When the order promised to take effect: at once, within so many hours, or on the first
    day of the next month; None when it waits for installation or says nothing we can read."""
    accepted = parse_time(order.get("accepted_at"))
    promise = str(order.get("promised_effect") or "")
    if accepted is None:
        return None
    if "立即" in promise:
        return accepted
    if m := re.search(r"(\d+)\s*小时", promise):
        return accepted + timedelta(hours=int(m.group(1)))
    if "次月" in promise:
        year, month = (
            (accepted.year + 1, 1) if accepted.month == 12 else (accepted.year, accepted.month + 1)
        )
        return accepted.replace(year=year, month=month, day=1, hour=0, minute=0, second=0)
    return None


@check(
    "crm.order",
    "crm",
    order_found=T.BOOLEAN,
    order_state=T.STRING,
    order_fail_kind=T.STRING,
)
async def crm_order(view: CustomerView) -> dict[str, Any]:
    """The newest order: found at all, its state (completed, in_progress, failed, cancelled), and
    for a failed or cancelled one whose error it was (channel: the accepting channel's mistake;
    rule: a business rule or missing papers refused it)."""
    order = await latest_order(view)
    state = str(order.get("state") or "")
    reason = str(order.get("fail_reason") or "")
    kind = ""
    if state in ("failed", "cancelled"):
        kind = "channel" if any(w in reason for w in CHANNEL_ERROR) else "rule"
    return {"order_found": bool(order), "order_state": state, "order_fail_kind": kind}


@check(
    "provisioning.order",
    "provisioning",
    wo_failed=T.BOOLEAN,
    order_needs_field=T.BOOLEAN,
    order_effect_later=T.BOOLEAN,
)
async def provisioning_order(view: CustomerView) -> dict[str, Any]:
    """The work order of the newest order: a command failed or timed out (or the work order
    did); the order needs the field team (new installation, moving); the promised moment of
    effect has not come yet."""
    order = await latest_order(view)
    wo_id = str(order.get("work_order_id") or "")
    work: dict[str, Any] = {}
    if wo_id:
        result = await view.reads.get("provisioning", "work_order", wo_id)
        work = {} if missing(result) else ok(result)
    commands = work.get("commands") or []
    failed = work.get("state") in WO_FAILED or any(
        "失败" in str(c.get("result") or "") or "超时" in str(c.get("result") or "")
        for c in commands
    )
    effect = effective_from(order)
    return {
        "wo_failed": bool(failed),
        "order_needs_field": order.get("action") in FIELD_ACTIONS,
        "order_effect_later": effect is not None and effect > clock.now(),
    }


@check("platforms.order_effect", "platforms", order_effective=T.BOOLEAN)
async def platforms_order_effect(view: CustomerView) -> dict[str, Any]:
    """Whether the platforms of the ordered product hold what CRM sold (no mismatch in the
    expected-against-actual comparison: HLR functions, OCS offer, AAA rate, IPTV account …)."""
    # Every read of the comparison starts at once, alongside the orders: the reads keyed by the
    # typed number now (billing and points too, which the comparison awaits after the
    # platforms), each product's platforms as soon as CRM names it.
    view.start()
    observing = detach(observe(view))
    order = await latest_order(view)
    product = await order_product(view, order)
    number = product.get("number")
    observed = await observing
    if observed is None:
        raise CheckFailed(await view.customer())
    for entry in observed.platforms:
        if entry.key == number and entry.failed:
            raise CheckFailed(entry.failed[0])
    off = [m for m in observed.comparison.mismatches if m.product_key == number]
    return {"order_effective": bool(product) and not off}


@check("billing.order_charge", "billing", order_overcharged=T.BOOLEAN)
async def billing_order_charge(view: CustomerView) -> dict[str, Any]:
    """Whether the latest bill charges the ordered plan: a base fee still under another plan
    (the bill names the old one), or above the price of the plan CRM has now."""
    # CRM's product details are asked for alongside its orders (both need only the customer id),
    # the bills as soon as CRM or billing names the account.
    detach(view.products_result())
    account = view.reads.get("billing", "account", view.number)
    billing_ahead(view, "bills", account)
    order = await latest_order(view)
    product = await order_product(view, order)
    billing = await account
    acct_id = "" if missing(billing) else str(ok(billing).get("acct_id") or "")
    if not acct_id or product.get("product_type") != "mobile":
        return {"order_overcharged": False}
    result = await view.reads.get("billing", "bills", acct_id)
    bills = [] if missing(result) else ok(result).get("bills") or []
    latest: dict[str, Any] = max(bills, key=lambda b: str(b.get("bill_cycle") or ""), default={})
    offer = str(product.get("offer_name") or "")
    price = PRICE.search(offer)
    over = False
    for item in latest.get("items") or []:
        name = str(item.get("name") or "")
        if not name.startswith(BASE_FEE):
            continue
        old = OLD_PLAN.search(name)
        if old and old.group(1) != offer:
            over = True
        if price and float(item.get("amount") or 0) > float(price.group(1)):
            over = True
    return {"order_overcharged": over}
