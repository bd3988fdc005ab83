"""The rows of the order, billing and points steps' pages: the newest CRM order against its
provisioning work order and the platforms; the plan CRM sold against what the bill charges; a
redemption against what the points platform and billing did with it; CRM's product states
against the account's arrears."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from firstcall.core import clock
from firstcall.customers.display import FIELD_LABELS, PRODUCT_TYPES
from firstcall.customers.services import observe
from firstcall.navigation.facts import CheckFailed
from firstcall.navigation.facts_orders import (
    BASE_FEE,
    FIELD_ACTIONS,
    OLD_PLAN,
    PRICE,
    WO_FAILED,
    effective_from,
    latest_order,
    order_product,
)
from firstcall.navigation.facts_points import PHYSICAL, latest_redemption, overdue
from firstcall.navigation.pages import (
    RECORDS,
    Page,
    Sight,
    Table,
    builds,
    describe,
    row,
    state,
    when,
)


async def _order(sight: Sight, page: Page) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        order = await latest_order(sight.view)
        product = await order_product(sight.view, order) if order else {}
    except CheckFailed:
        return {}, {}
    describe(page, product)
    return order, product


@builds("crm.order")
async def crm_order(sight: Sight, page: Page) -> None:
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


@builds("provisioning.order", "provisioning")
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


@builds("platforms")
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


@builds("billing.order_charge")
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


def _redemption_rows(page: Page, last: dict[str, Any], member: dict[str, Any] | None) -> None:
    trouble = "异常" in str(last.get("logistics") or "")
    late = bool(last) and overdue(last)
    page.rows += [
        row(
            _("Gift"),
            f"{last.get('gift')} · {last.get('points')}" if last else _("none"),
            last.get("status"),
            "pts_has_order",
            "pts_state",
            differs=last.get("state") == "failed",
        ),
        row(_("Gift type"), last.get("gift_type"), None, "pts_physical", differs=False),
        row(
            _("Failure reason"),
            None,
            last.get("fail_reason"),
            "pts_fail_kind",
            differs=bool(last.get("fail_reason")),
        ),
        row(
            _("Promised"),
            last.get("promised"),
            last.get("logistics") or last.get("tracking") or last.get("status"),
            "gift_overdue",
            "benefit_overdue",
            differs=trouble or (late and last.get("state") not in ("credited", "delivered")),
        ),
    ]
    if last.get("state") == "failed":
        page.rows.append(
            row(
                _("Points refunded"),
                last.get("points"),
                last.get("points_refunded"),
                "pts_refunded",
                differs=not last.get("points_refunded"),
            )
        )
    if member is not None:
        page.rows.append(row(_("Points available"), None, member.get("available"), differs=False))


@builds("points", "billing.benefit")
async def redemption(sight: Sight, page: Page) -> None:
    describe(page, await sight.product("mobile"))
    try:
        last = await latest_redemption(sight.view)
    except CheckFailed:
        last = {}
    _billing, points = await sight.view.account()
    _redemption_rows(page, last, dict(points.data or {}) if points.ok else None)
    if page.check.id == "billing.benefit":
        credits = (sight.data("billing.credits") or {}).get("credits") or []
        order_id = str(last.get("order_id") or "")
        booked = [c for c in credits if order_id and order_id in str(c.get("source") or "")]
        page.rows.append(
            row(
                _("Credited by billing"),
                last.get("gift"),
                booked[0].get("time") if booked else False,
                "benefit_credited",
                differs=bool(last)
                and last.get("gift_type") != PHYSICAL
                and not booked
                and last.get("state") != "credited",
            )
        )
        table = Table(_("Credits booked"), [_("Time"), _("Source"), _("Amount (yuan)"), _("Note")])
        for c in credits[:RECORDS]:
            cells = [when(c.get("time")), c.get("source"), c.get("amount"), c.get("note")]
            table.rows.append((cells, bool(order_id) and order_id in str(c.get("source") or "")))
        if credits:
            page.tables.append(table)
        return
    redemptions = (sight.data("points.redemptions") or {}).get("redemptions") or []
    table = Table(
        _("Redemptions"), [_("Placed"), _("Gift"), _("Points"), _("State"), _("Promised")]
    )
    for r in sorted(redemptions, key=lambda r: str(r.get("placed_at") or ""), reverse=True)[
        :RECORDS
    ]:
        cells = [when(r.get("placed_at")), r.get("gift"), r.get("points"), r.get("status")]
        table.rows.append(([*cells, r.get("promised")], r.get("state") == "failed"))
    if redemptions:
        page.tables.append(table)


@builds("crm.account_state", "crm")
async def account_state(sight: Sight, page: Page) -> None:
    customer = await sight.customer()
    page.subject = str(customer.get("acct_id") or "")
    billing = sight.data("billing.account") or await sight.billing() or {}
    in_arrears = bool(billing.get("in_arrears"))
    for p in await sight.view.products():
        kind = PRODUCT_TYPES.get(str(p.get("product_type")), p.get("product_type"))
        stopped = "arrears" in str(p.get("state") or "")
        page.rows.append(
            row(
                f"{kind} {p.get('number')}",
                state(p),
                billing.get("status"),
                "acct_in_arrears",
                differs=stopped != in_arrears,
            )
        )
    page.rows.append(
        row(_("Arrears (yuan)"), 0, billing.get("arrears"), "acct_in_arrears", differs=in_arrears)
    )
