"""Value-added services: disputed SP charges, what the bills charge on behalf of SPs (F-MOB-VAS
S1), against the evidence the VAS platform holds for each charge (S2): a subscription, still in
force for the billed month, ordered with a second confirmation.

Each check reads through the unified view, so its answers come from the call cache.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from firstcall.customers.unified import CustomerView, detach
from firstcall.navigation.checks.page import Page, Sight, Table, describe, row, when
from firstcall.navigation.checks.reads import (
    billing_ahead,
    for_product,
    found,
    product_read,
    record_of,
)
from firstcall.navigation.checks.registry import T, check, shows


async def sp_items(view: CustomerView) -> list[tuple[str, dict[str, Any]]]:
    """(bill cycle, item) of every item the account's recent bills charge on behalf of an SP.
    The bills start as soon as CRM or billing names the account (`billing_ahead`)."""

    async def items(number: str) -> list[tuple[str, dict[str, Any]]]:
        acct_id = str((await record_of(view, number, "billing", "account")).get("acct_id") or "")
        if not acct_id:
            return []
        bills = found(await view.reads.get("billing", "bills", acct_id)).get("bills") or []
        return [
            (str(bill.get("bill_cycle") or ""), item)
            for bill in bills
            for item in bill.get("items") or []
            if item.get("sp")
        ]

    billing_ahead(view, "bills")
    return await for_product(view, "mobile", items)


def month_of(moment: Any) -> str:
    """The bill cycle of a moment: "2026-09-08T00:00:00+08:00" -> "202609"."""
    text = str(moment or "")
    return text[:4] + text[5:7] if len(text) >= 7 else ""


@check("billing.sp_charges", "billing", sp_charge_count=T.FLOAT, sp_charge_total=T.FLOAT)
async def billing_sp_charges(view: CustomerView) -> dict[str, Any]:
    """The charges collected for SPs on the recent bills (代收费): how many, and how much."""
    items = await sp_items(view)
    return {
        "sp_charge_count": float(len(items)),
        "sp_charge_total": round(sum(float(i.get("amount") or 0) for _c, i in items), 2),
    }


@check(
    "vas.evidence",
    "vas",
    vas_charged_without_order=T.BOOLEAN,
    vas_charged_after_unsub=T.BOOLEAN,
    vas_unconfirmed=T.BOOLEAN,
)
async def vas_evidence(view: CustomerView) -> dict[str, Any]:
    """Each SP charge against the VAS platform's subscriptions: charged by an SP the number has
    never subscribed to; charged for a month after the one the subscription was cancelled in;
    a subscription in force or charged without a second-confirmation record."""
    # VAS is asked alongside the bills, not after them; a failure of the bills still comes first.
    vas = detach(product_read(view, "mobile", "vas", "subscriptions"))
    items = await sp_items(view)
    subscriptions = (await vas).get("subscriptions") or []
    by_sp: dict[str, list[dict[str, Any]]] = {}
    for s in subscriptions:
        by_sp.setdefault(str(s.get("sp_code") or ""), []).append(s)
    without_order = False
    after_unsub = False
    for cycle, item in items:
        subs = by_sp.get(str(item["sp"].get("sp_code") or ""), [])
        if not subs:
            without_order = True
        elif all(s.get("state") == "unsubscribed" for s in subs) and all(
            cycle > month_of(s.get("unsubscribed_at")) for s in subs
        ):
            after_unsub = True
    charged = {str(i["sp"].get("sp_code") or "") for _c, i in items}
    unconfirmed = any(
        not s.get("second_confirmed")
        and (s.get("state") == "active" or str(s.get("sp_code") or "") in charged)
        for s in subscriptions
    )
    return {
        "vas_charged_without_order": without_order,
        "vas_charged_after_unsub": after_unsub,
        "vas_unconfirmed": unconfirmed,
    }


# The page.


@shows("billing.sp_charges", "vas.evidence")
async def sp_charges(sight: Sight, page: Page) -> None:
    """Each SP billed, against its subscriptions on the VAS platform."""
    product = await sight.product("mobile")
    describe(page, product)
    bills = (sight.data("billing.bills") or {}).get("bills") or []
    items = [
        (str(b.get("bill_cycle")), i) for b in bills for i in b.get("items") or [] if i.get("sp")
    ]
    subscriptions = (await sight.platform(product, "vas.subscriptions") or {}).get("subscriptions")
    by_sp: dict[str, list[dict[str, Any]]] = {}
    for s in subscriptions or []:
        by_sp.setdefault(str(s.get("sp_code") or ""), []).append(s)
    billed: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for cycle, item in items:
        billed.setdefault(str(item["sp"].get("sp_code") or ""), []).append((cycle, item))
    facts = ("vas_charged_without_order", "vas_charged_after_unsub", "vas_unconfirmed")
    total = round(sum(float(i.get("amount") or 0) for _c, i in items), 2)
    page.rows += [
        row(_("SP charges on the recent bills"), None, len(items), "sp_charge_count"),
        row(_("Charged for SPs (yuan)"), None, total, "sp_charge_total"),
    ]
    for code, charges in billed.items():
        sp = charges[0][1]["sp"]
        subs = by_sp.get(code, [])
        amount = round(sum(float(i.get("amount") or 0) for _c, i in charges), 2)
        cycles = ", ".join(c for c, _i in charges)
        had = " · ".join(
            f"{s.get('status')} {when(s.get('ordered_at'))}"
            + ("" if s.get("second_confirmed") else f" · {_('no second confirmation')}")
            for s in subs
        )
        after = bool(subs) and all(
            s.get("state") == "unsubscribed"
            and max(c for c, _i in charges) > month_of(s.get("unsubscribed_at"))
            for s in subs
        )
        page.rows.append(
            row(
                f"{sp.get('sp_name')} · {sp.get('service_name')}",
                f"{cycles}: ¥{amount:.2f}",
                had or _("no subscription"),
                *facts,
                "sp_charge_count",
                "sp_charge_total",
                differs=not subs or after or any(not s.get("second_confirmed") for s in subs),
            )
        )
    table = Table(
        _("Subscriptions on the VAS platform"),
        [_("SP"), _("Service"), _("Ordered"), _("Channel"), _("Second confirmation"), _("State")],
    )
    for s in subscriptions or []:
        cells = [
            s.get("sp_name"),
            s.get("service_name"),
            when(s.get("ordered_at")),
            s.get("order_channel"),
        ]
        table.rows.append(
            ([*cells, s.get("confirm_log"), s.get("status")], not s.get("second_confirmed"))
        )
    if subscriptions:
        page.tables.append(table)
