"""Broadband billing: the books of a prepaid broadband line in OCS, and the expiry or payment
reminder during which web pages are redirected (F-BB-691, F-BB-WEB).

Each check reads through the unified view, so its answers come from the call cache.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from firstcall.core import clock
from firstcall.customers.comparison import PRESENT
from firstcall.customers.unified import CustomerView
from firstcall.navigation.checks.page import Page, Sight, Table, describe, row, state
from firstcall.navigation.checks.reads import for_product, ok, product_read, read_of
from firstcall.navigation.checks.registry import T, check, shows


def usable_books(books: list[dict[str, Any]], today: str) -> list[dict[str, Any]]:
    """The books with a balance that have not expired by `today` (an ISO date)."""
    return [
        b
        for b in books
        if (b.get("balance") or 0) > 0 and (b.get("expire_date") or "9999") >= today
    ]


@check("ocs.bb_book", "ocs", bb_book_ok=T.BOOLEAN)
async def ocs_broadband_book(view: CustomerView) -> dict[str, Any]:
    result = await for_product(view, "broadband", read_of(view, "ocs", "subscriber"))
    if result.missing:
        return {"bb_book_ok": True}  # not a prepaid account: nothing to run out
    books = ok(result).get("books") or []
    today = timezone.localdate(clock.now()).isoformat()
    return {"bb_book_ok": bool(usable_books(books, today))}


@check("billing.reminder", "billing", bb_reminder=T.BOOLEAN)
async def billing_reminder(view: CustomerView) -> dict[str, Any]:
    """Whether the account is in arrears or in a reminder period (expiry or payment reminder),
    during which web pages are redirected to the reminder page."""
    account = await product_read(view, "broadband", "billing", "account")
    return {"bb_reminder": bool(account.get("reminder")) or bool(account.get("in_arrears"))}


# The pages.


@shows("ocs.bb_book")
async def broadband_books(sight: Sight, page: Page) -> None:
    product = await sight.product("broadband")
    describe(page, product)
    ocs = sight.data("ocs.subscriber")
    books = (ocs or {}).get("books") or []
    usable = usable_books(books, clock.now().date().isoformat())
    have = None if ocs is None else PRESENT if ocs else _("not a prepaid account")
    page.rows.append(row(_("Billing type"), product.get("billing_type"), have, differs=False))
    if ocs:
        balance = round(sum(float(b.get("balance") or 0) for b in usable), 2)
        page.rows.append(
            row(_("Usable balance (yuan)"), None, balance, "bb_book_ok", differs=not usable)
        )
    table = Table(_("Account books"), [_("Book"), _("Balance (yuan)"), _("Expires")])
    for b in books:
        table.rows.append(
            ([b.get("type"), b.get("balance"), b.get("expire_date")], b not in usable)
        )
    if books:
        page.tables.append(table)


@shows("billing.reminder")
async def reminder(sight: Sight, page: Page) -> None:
    product = await sight.product("broadband")
    describe(page, product)
    account = sight.data("billing.account") or {}
    page.rows += [
        row(_("State"), state(product), state(account), differs=False),
        row(
            _("Expiry date"),
            product.get("expire_date"),
            account.get("reminder") or _("no reminder"),
            "bb_reminder",
            differs=bool(account.get("reminder")),
        ),
        row(
            _("Arrears"),
            0,
            account.get("arrears"),
            "bb_reminder",
            differs=bool(account.get("in_arrears")),
        ),
    ]
