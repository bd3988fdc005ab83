"""Checks of disputed SP (value-added service) charges: what the bills charge on behalf of SPs
(F-MOB-VAS S1) and the evidence the VAS platform holds for each charge (S2): a subscription,
still in force for the billed month, ordered with a second confirmation.

Like every check they read through the unified view, so the answers come from the call cache.
"""

from typing import Any

from firstcall.customers.unified import CustomerView, detach
from firstcall.navigation.facts import T, billing_ahead, check, for_product, record_of
from firstcall.navigation.facts_mobile import missing, mobile_read, ok


async def sp_items(view: CustomerView) -> list[tuple[str, dict[str, Any]]]:
    """(bill cycle, item) of every item the account's recent bills charge on behalf of an SP.
    The bills start as soon as CRM or billing names the account (`billing_ahead`)."""

    async def items(number: str) -> list[tuple[str, dict[str, Any]]]:
        acct_id = str((await record_of(view, number, "billing", "account")).get("acct_id") or "")
        if not acct_id:
            return []
        result = await view.reads.get("billing", "bills", acct_id)
        bills = [] if missing(result) else ok(result).get("bills") or []
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
    vas = detach(mobile_read(view, "vas", "subscriptions"))
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
