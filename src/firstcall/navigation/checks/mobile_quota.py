"""Mobile balance and quotas: whether the number really owes money (billing's arrears, OCS's
balance: "paid but still stopped" is neither), its data quota and policy, and its roaming pack in
OCS (F-MOB-ORDER, F-MOB-NOCALL, F-MOB-DATA, F-MOB-IROAM).

Each check reads through the unified view, so its answers come from the call cache.
"""

import asyncio
from typing import Any

from django.utils.translation import gettext_lazy as _

from firstcall.customers.comparison import MISSING, OCS_STATE, PRESENT
from firstcall.customers.unified import CustomerView
from firstcall.navigation.checks.page import Page, Sight, describe, focus, row, state
from firstcall.navigation.checks.reads import product_read
from firstcall.navigation.checks.registry import T, check, shows


@check("ocs.arrears", "ocs", mob_in_arrears=T.BOOLEAN, mob_available=T.FLOAT, mob_prepaid=T.BOOLEAN)
async def ocs_arrears(view: CustomerView) -> dict[str, Any]:
    """Whether the number really owes money: the account is in arrears in billing (postpaid) or
    the real-time balance with credit is below zero in OCS (prepaid). Paid but still stopped is
    the case where neither holds."""
    account, subscriber = await asyncio.gather(
        product_read(view, "mobile", "billing", "account"),
        product_read(view, "mobile", "ocs", "subscriber"),
    )
    available = float(subscriber.get("available") or 0)
    in_arrears = bool(account.get("in_arrears")) or float(account.get("arrears") or 0) > 0
    return {
        "mob_in_arrears": in_arrears or available < 0,
        "mob_available": available,
        "mob_prepaid": subscriber.get("pay_type") == "prepaid",
    }


@check(
    "ocs.data", "ocs", data_blocked=T.BOOLEAN, data_throttled=T.BOOLEAN, data_remaining_mb=T.FLOAT
)
async def ocs_data(view: CustomerView) -> dict[str, Any]:
    """The data quota in OCS: cut off (quota used up under the customer's own cap, or blocked),
    slowed down after the plan's threshold, and what is left."""
    data = (await product_read(view, "mobile", "ocs", "subscriber")).get("data") or {}
    remaining = float(data.get("remaining_mb") or 0)
    capped = bool(data.get("cap_set_by_user")) and remaining <= 0
    return {
        "data_blocked": bool(data.get("blocked")) or capped,
        "data_throttled": bool(data.get("throttled")),
        "data_remaining_mb": remaining,
    }


@check("ocs.roaming", "ocs", roam_capped=T.BOOLEAN, roam_balance_ok=T.BOOLEAN)
async def ocs_roaming(view: CustomerView) -> dict[str, Any]:
    """Roaming data in OCS: the roaming pack used up or capped, and a balance (with credit) that
    still covers roaming charges."""
    subscriber = await product_read(view, "mobile", "ocs", "subscriber")
    pack = subscriber.get("roaming_pack") or {}
    used, quota = float(pack.get("used_mb") or 0), float(pack.get("quota_mb") or 0)
    return {
        "roam_capped": bool(pack.get("capped")) or (quota > 0 and used >= quota),
        "roam_balance_ok": float(subscriber.get("available") or 0) >= 0,
    }


# The page.


@shows("ocs.arrears", "ocs.data", "ocs.roaming")
async def ocs_page(sight: Sight, page: Page) -> None:
    product = await sight.product("mobile")
    describe(page, product)
    record = sight.data("ocs.subscriber")
    if not product or record is None:
        return
    if not record:
        page.rows.append(row(_("OCS subscriber"), PRESENT, MISSING))
        return
    customer = await sight.customer()
    billing = sight.data("billing.account") or await sight.billing() or {}
    expected = OCS_STATE.get(str(product.get("state") or ""))
    data = record.get("data") or {}
    pack = record.get("roaming_pack") or {}
    available = float(record.get("available") or 0)
    focus(
        page,
        [
            row(
                _("State"),
                state(product),
                state(record),
                expects=expected,
                differs=expected is not None and record.get("state") != expected,
            ),
            row(_("Offer"), product.get("offer_id"), record.get("offer_id")),
            row(_("Payment mode"), customer.get("pay_mode"), record.get("pay_type"), "mob_prepaid"),
            row(
                _("Arrears (yuan)"),
                0,
                billing.get("arrears"),
                "mob_in_arrears",
                source=_("Billing"),
                differs=bool(billing.get("in_arrears")),
            ),
            row(
                _("Available balance (yuan)"),
                "≥ 0",
                available,
                "mob_available",
                "mob_in_arrears",
                "roam_balance_ok",
                differs=available < 0,
            ),
            row(
                _("Data left (MB)"),
                data.get("quota_mb"),
                data.get("remaining_mb"),
                "data_remaining_mb",
                differs=False,
            ),
            row(
                _("Data blocked"),
                False,
                bool(data.get("blocked"))
                or (
                    bool(data.get("cap_set_by_user")) and float(data.get("remaining_mb") or 0) <= 0
                ),
                "data_blocked",
            ),
            row(_("Throttled"), False, bool(data.get("throttled")), "data_throttled"),
            row(
                _("International roaming"),
                bool((product.get("features") or {}).get("intl_roaming")),
                pack.get("name"),
                "roam_capped",
                differs=False,
            ),
            row(
                _("Roaming pack used (MB)"),
                pack.get("quota_mb"),
                pack.get("used_mb"),
                "roam_capped",
                differs=bool(pack.get("capped"))
                or (bool(pack.get("quota_mb")) and (pack.get("used_mb") or 0) >= pack["quota_mb"]),
            ),
        ],
    )
