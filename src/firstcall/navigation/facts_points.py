"""Checks of a loyalty-points redemption (F-MOB-POINTS): the latest redemption order and why it
failed (S1, S2), the account's standing (S3), whether a redeemed benefit was credited within
its promise (S4), the parcel of a physical gift (S5) and the points of a failed order (S6).

Like every check they read through the unified view, so the answers come from the call cache.
The redemption looked at is the newest one: the one the customer calls about.
"""

import asyncio
import re
from datetime import datetime, timedelta
from typing import Any

from firstcall.core import clock
from firstcall.customers.unified import CustomerView
from firstcall.navigation.facts import T, _missing, _ok, _time, billing_ahead, check

ok = _ok
missing = _missing
parse_time = _time

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
    redemptions = [] if missing(result) else ok(result).get("redemptions") or []
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
    placed = parse_time(redemption.get("placed_at"))
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
    account = {} if missing(billing) else ok(billing)
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
    acct_id = "" if missing(billing) else str(ok(billing).get("acct_id") or "")
    if last and acct_id and not credited:
        result = await view.reads.get("billing", "credits", acct_id)
        credits = [] if missing(result) else ok(result).get("credits") or []
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
