"""Orders: an order that has not taken effect (F-MOB-ORDER) — the customer's newest CRM order of
the product the caller asks about and why it failed (S1, S4), its provisioning work order (S2),
whether the platforms hold what CRM sold (S3, the comparison of the customer screen), and whether
the bill still charges the plan the order replaced (S5).

Each check reads through the unified view, so its answers come from the call cache. The order
looked at is the newest one of the typed number's product: the one the customer calls about (a
mobile caller's order, not the broadband installation of months ago).
"""

import re
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from firstcall.core import clock
from firstcall.customers.comparison import observe
from firstcall.customers.display import FIELD_LABELS
from firstcall.customers.unified import CustomerView, detach
from firstcall.integrations.records import moment
from firstcall.navigation.checks.page import (
    RECORDS,
    Page,
    Sight,
    Table,
    describe,
    row,
    state,
    when,
)
from firstcall.navigation.checks.reads import billing_ahead, found
from firstcall.navigation.checks.registry import CheckFailed, T, check, shows

FIELD_ACTIONS = ("新装", "移机")  # orders the field team has to build
WO_FAILED = ("timed_out", "failed", "partially_failed", "rolled_back")
CHANNEL_ERROR = ("渠道", "工号", "受理差错")
BASE_FEE = "套餐月基本费"
OLD_PLAN = re.compile(r"原套餐(.+?)）")
PRICE = re.compile(r"(\d+(?:\.\d+)?)元")


async def asked_product_type(view: CustomerView) -> str:
    """The type of the customer's product the typed number is ("mobile", "broadband" …), as
    CRM's list of service numbers names it; "" when the typed number is none of them."""
    customer = await view.customer()
    if not customer.ok:
        raise CheckFailed(customer)
    for s in customer.data.get("service_numbers") or []:
        if str(s.get("number")) == view.number:
            return str(s.get("product_type") or "")
    return ""


async def latest_order(view: CustomerView) -> dict[str, Any]:
    """The customer's newest CRM order for the product the caller asks about (the typed number's
    product; any product's when the typed number is none of the customer's); empty when CRM has
    none."""
    customer = await view.customer()
    if not customer.ok:
        raise CheckFailed(customer)
    result = await view.reads.get("crm", "orders", str(customer.data.get("cust_id") or ""))
    orders = found(result).get("orders") or []
    kind = await asked_product_type(view)
    if kind:
        orders = [o for o in orders if o.get("product_type") == kind]
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
    accepted = moment(order.get("accepted_at"))
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
        work = found(await view.reads.get("provisioning", "work_order", wo_id))
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
    acct_id = str(found(billing).get("acct_id") or "")
    if not acct_id or product.get("product_type") != "mobile":
        return {"order_overcharged": False}
    bills = found(await view.reads.get("billing", "bills", acct_id)).get("bills") or []
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


# The pages.


async def _order(sight: Sight, page: Page) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        order = await latest_order(sight.view)
        product = await order_product(sight.view, order) if order else {}
    except CheckFailed:
        return {}, {}
    describe(page, product)
    return order, product


@shows("crm.order")
async def order_page(sight: Sight, page: Page) -> None:
    order, _product = await _order(sight, page)
    orders = (sight.data("crm.orders") or {}).get("orders") or []
    work = {w.get("crm_order_id"): w for w in await sight.work_orders()}.get(order.get("order_id"))
    failed = order.get("state") in ("failed", "cancelled") or (work or {}).get("state") in WO_FAILED
    page.rows += [
        row(
            _("Latest order"),
            order.get("title") or _("none"),
            (work or {}).get("title"),
            "order_found",
            differs=False,
        ),
        row(
            _("Order state"),
            state(order),
            state(work),
            "order_state",
            differs=failed,
        ),
        row(
            _("Failure reason"),
            order.get("fail_reason"),
            None,
            "order_fail_kind",
            differs=bool(order.get("fail_reason")),
        ),
        row(
            _("Accepted"),
            f"{when(order.get('accepted_at'))} · {order.get('channel')}" if order else None,
            when((work or {}).get("created_at")) or None,
            differs=False,
        ),
    ]
    table = Table(_("Orders"), [_("Accepted"), _("Action"), _("Order"), _("Channel"), _("State")])
    for o in sorted(orders, key=lambda o: str(o.get("accepted_at") or ""), reverse=True)[:RECORDS]:
        cells = [when(o.get("accepted_at")), o.get("action"), o.get("title"), o.get("channel")]
        table.rows.append(([*cells, o.get("status")], o.get("state") in ("failed", "cancelled")))
    if orders:
        page.tables.append(table)


@shows("provisioning.order")
async def work_order(sight: Sight, page: Page) -> None:
    order, _product = await _order(sight, page)
    work = sight.data("provisioning.work_order") or {}
    commands = work.get("commands") or []
    effect = effective_from(order)
    failed = work.get("state") in WO_FAILED or any(not c.get("ok") for c in commands)
    page.rows += [
        row(_("Work order"), order.get("work_order_id"), work.get("work_order_id")),
        row(_("State"), state(order), state(work), "wo_failed", differs=failed),
        row(
            _("Takes effect"),
            order.get("promised_effect"),
            when(effect.isoformat()) if effect else None,
            "order_effect_later",
            differs=effect is not None and effect > clock.now(),
        ),
        row(
            _("Needs the field team"),
            order.get("action"),
            None,
            "order_needs_field",
            differs=order.get("action") in FIELD_ACTIONS,
        ),
    ]
    table = Table(_("Commands to the network elements"), [_("Element"), _("Command"), _("Result")])
    for c in commands:
        table.rows.append(([c.get("ne"), c.get("command"), c.get("result")], not c.get("ok")))
    if commands:
        page.tables.append(table)


@shows("platforms.order_effect")
async def order_effect(sight: Sight, page: Page) -> None:
    order, product = await _order(sight, page)
    page.rows.append(row(_("Latest order"), order.get("title"), state(order), differs=False))
    observed = await observe(sight.view)
    if observed is None or not product:
        return
    off = [m for m in observed.comparison.mismatches if m.product_key == product.get("number")]
    for m in off:
        label = f"{m.platform.upper()} · {FIELD_LABELS.get(m.field, m.field)}"
        page.rows.append(row(label, m.expected, m.actual, "order_effective", differs=True))
    if not off:
        page.rows.append(
            row(_("Platforms"), _("as sold"), _("agree with CRM"), "order_effective", differs=False)
        )


@shows("billing.order_charge")
async def order_charge(sight: Sight, page: Page) -> None:
    order, product = await _order(sight, page)
    page.rows.append(
        row(_("Latest order"), order.get("title") or _("none"), state(order), differs=False)
    )
    bills = (sight.data("billing.bills") or {}).get("bills") or []
    latest: dict[str, Any] = max(bills, key=lambda b: str(b.get("bill_cycle") or ""), default={})
    offer = str(product.get("offer_name") or "")
    price = PRICE.search(offer)
    table = Table(
        _("Latest bill %(cycle)s") % {"cycle": latest.get("bill_cycle") or ""},
        [_("Item"), _("Amount (yuan)")],
    )
    for item in latest.get("items") or []:
        name = str(item.get("name") or "")
        over = False
        if name.startswith(BASE_FEE):
            old = OLD_PLAN.search(name)
            amount = float(item.get("amount") or 0)
            over = bool(old and old.group(1) != offer) or bool(price and amount > float(price[1]))
            page.rows.append(row(_("Plan charged"), offer, name, "order_overcharged", differs=over))
            page.rows.append(
                row(
                    _("Monthly base fee (yuan)"),
                    float(price[1]) if price else None,
                    amount,
                    "order_overcharged",
                    differs=bool(price and amount > float(price[1])),
                )
            )
        table.rows.append(([name, item.get("amount")], over))
    if latest:
        page.tables.append(table)
