"""Points: a loyalty-points redemption (F-MOB-POINTS) — the latest redemption order and why it
failed (S1, S2), the account's standing (S3), whether a redeemed benefit was credited within its
promise (S4), the parcel of a physical gift (S5) and the points of a failed order (S6).

Each check reads through the unified view, so its answers come from the call cache. The
redemption looked at is the newest one: the one the customer calls about.
"""

import asyncio
import re
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from firstcall.core import clock
from firstcall.customers.display import PRODUCT_TYPES
from firstcall.customers.unified import CustomerView
from firstcall.integrations.records import moment
from firstcall.navigation.checks.page import RECORDS, Page, Sight, Table, describe, row, state, when
from firstcall.navigation.checks.reads import billing_ahead, found
from firstcall.navigation.checks.registry import CheckFailed, T, check, shows

PHYSICAL = "实物"
# Why a redemption failed, by the words of its reason, first match wins.
FAIL_KINDS = (
    ("balance", ("积分不足", "清零", "过期")),
    ("status", ("状态", "欠费", "停机")),
    ("stock", ("库存", "下架")),
)
HOURS = re.compile(r"(\d+)\s*小时")
WORKDAYS = re.compile(r"(\d+)\s*个工作日")
DAYS = re.compile(r"(\d+)\s*天")


async def latest_redemption(view: CustomerView) -> dict[str, Any]:
    """The newest redemption of the number; empty when there is none (or no points member)."""
    result = await view.reads.get("points", "redemptions", view.number)
    redemptions = found(result).get("redemptions") or []
    ordered = sorted(redemptions, key=lambda r: str(r.get("placed_at") or ""), reverse=True)
    return ordered[0] if ordered else {}


def fail_kind(reason: str) -> str:
    if not reason:
        return ""
    for kind, words in FAIL_KINDS:
        if any(w in reason for w in words):
            return kind
    return "system"


def promised_by(redemption: dict[str, Any]) -> datetime | None:
    """The moment the redemption promised to arrive by ("24小时内到账", "7个工作日内送达");
    working days count as calendar weeks of five."""
    placed = moment(redemption.get("placed_at"))
    promise = str(redemption.get("promised") or "")
    if placed is None:
        return None
    if m := HOURS.search(promise):
        return placed + timedelta(hours=int(m.group(1)))
    if m := WORKDAYS.search(promise):
        workdays = int(m.group(1))
        return placed + timedelta(days=workdays + 2 * ((workdays + 4) // 5))
    if m := DAYS.search(promise):
        return placed + timedelta(days=int(m.group(1)))
    return None


def overdue(redemption: dict[str, Any]) -> bool:
    due = promised_by(redemption)
    return due is not None and clock.now() > due


@check(
    "points.redemption",
    "points",
    pts_has_order=T.BOOLEAN,
    pts_state=T.STRING,
    pts_physical=T.BOOLEAN,
    pts_fail_kind=T.STRING,
)
async def points_redemption(view: CustomerView) -> dict[str, Any]:
    """The newest redemption: its state (failed, processing, credited, shipped, delivered …),
    whether the gift is a physical one or a benefit (airtime, data), and for a failed one why
    (balance: not enough or expired points; status: the account's state; stock: out of stock or
    withdrawn; system: anything else)."""
    last = await latest_redemption(view)
    state = str(last.get("state") or "")
    return {
        "pts_has_order": bool(last),
        "pts_state": state,
        "pts_physical": last.get("gift_type") == PHYSICAL,
        "pts_fail_kind": fail_kind(str(last.get("fail_reason") or "")) if state == "failed" else "",
    }


@check("crm.account_state", "crm", acct_in_arrears=T.BOOLEAN)
async def crm_account_state(view: CustomerView) -> dict[str, Any]:
    """Whether the customer's account stands stopped for arrears now: billing says it is in
    arrears, or a product of the customer is stopped for arrears in CRM."""
    billing, products = await asyncio.gather(
        view.reads.get("billing", "account", view.number), view.products()
    )
    account = found(billing)
    stopped = any("arrears" in str(p.get("state") or "") for p in products)
    return {"acct_in_arrears": bool(account.get("in_arrears")) or stopped}


@check("billing.benefit", "billing", benefit_credited=T.BOOLEAN, benefit_overdue=T.BOOLEAN)
async def billing_benefit(view: CustomerView) -> dict[str, Any]:
    """A redeemed benefit (airtime, data): credited (the redemption says so, or billing booked
    a credit naming the order), and past the promised time without being credited."""
    # The credits are asked for as soon as CRM or billing names the account, alongside the
    # redemptions; they are looked at only when the redemption does not say it was credited.
    account = view.reads.get("billing", "account", view.number)
    billing_ahead(view, "credits", account)
    last, billing = await asyncio.gather(latest_redemption(view), account)
    credited = last.get("state") == "credited"
    acct_id = str(found(billing).get("acct_id") or "")
    if last and acct_id and not credited:
        result = await view.reads.get("billing", "credits", acct_id)
        credits = found(result).get("credits") or []
        order_id = str(last.get("order_id") or "")
        credited = bool(order_id) and any(order_id in str(c.get("source") or "") for c in credits)
    return {
        "benefit_credited": credited,
        "benefit_overdue": bool(last) and not credited and overdue(last),
    }


@check("points.delivery", "points", gift_overdue=T.BOOLEAN)
async def points_delivery(view: CustomerView) -> dict[str, Any]:
    """The parcel of a physical gift: past the promised delivery, or the logistics report a
    problem (异常)."""
    last = await latest_redemption(view)
    trouble = "异常" in str(last.get("logistics") or "")
    return {"gift_overdue": bool(last) and (trouble or overdue(last))}


@check("points.refund", "points", pts_refunded=T.BOOLEAN)
async def points_refund(view: CustomerView) -> dict[str, Any]:
    """Whether the points of the failed redemption went back to the customer's balance."""
    last = await latest_redemption(view)
    return {"pts_refunded": bool(last.get("points_refunded"))}


# The pages.


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


@shows("points.redemption", "points.delivery", "points.refund", "billing.benefit")
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


@shows("crm.account_state")
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
