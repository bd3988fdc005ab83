"""IPTV: the service as CRM sells it against the IPTV platform's account — its state, the bound
set-top box against the one authenticating, live TV (multicast) (F-IPTV-NOPIC S4). The line under
the service is the access family's (`nms.iptv_line`), the platform node's alarms the network's.

Each check reads through the unified view, so its answers come from the call cache.
"""

import asyncio
from typing import Any

from django.utils.translation import gettext_lazy as _

from firstcall.customers.comparison import IPTV_STATE, MISSING, PRESENT
from firstcall.customers.unified import CustomerView
from firstcall.navigation.checks.page import Page, Sight, describe, row, state, when
from firstcall.navigation.checks.reads import iptv_platform, iptv_product
from firstcall.navigation.checks.registry import T, check, shows


@check(
    "iptv.account",
    "iptv",
    iptv_crm_state=T.STRING,
    iptv_exists=T.BOOLEAN,
    iptv_platform_ok=T.BOOLEAN,
    iptv_stb_matches=T.BOOLEAN,
    iptv_multicast=T.BOOLEAN,
)
async def iptv_account_check(view: CustomerView) -> dict[str, Any]:
    """The IPTV service as CRM sells it (its state: active, arrears_stopped …) and as the IPTV
    platform holds it: the account exists and is active, the bound set-top box is the one now
    authenticating, multicast (live TV) is allowed."""
    product, platform = await asyncio.gather(iptv_product(view), iptv_platform(view))
    return {
        "iptv_crm_state": str(product.get("state") or ""),
        "iptv_exists": bool(platform),
        "iptv_platform_ok": platform.get("state") == "active",
        "iptv_stb_matches": bool(platform.get("stb_matches")),
        "iptv_multicast": bool(platform.get("multicast")),
    }


# The page.


@shows("iptv.account")
async def iptv(sight: Sight, page: Page) -> None:
    product = await sight.product("iptv")
    describe(page, product)
    record = sight.data("iptv.account")
    if not product or record is None:
        return
    if not record:
        page.rows.append(row(_("IPTV account"), PRESENT, MISSING, "iptv_exists"))
        return
    expected = IPTV_STATE.get(str(product.get("state") or ""))
    stb = (product.get("stb") or {}).get("mac")
    page.rows += [
        row(_("IPTV account"), PRESENT, PRESENT, "iptv_exists"),
        row(
            _("State"),
            state(product),
            state(record),
            "iptv_crm_state",
            "iptv_platform_ok",
            expects=expected,
            differs=expected is not None and record.get("state") != expected,
        ),
        row(_("Package"), product.get("package"), record.get("package")),
        row(_("Bound set-top box"), stb, record.get("bound_stb_mac"), "iptv_stb_matches"),
        row(
            _("Set-top box in use"),
            record.get("bound_stb_mac"),
            record.get("current_stb_mac"),
            "iptv_stb_matches",
            source=_("IPTV platform"),
        ),
        row(_("Live TV (multicast)"), True, bool(record.get("multicast")), "iptv_multicast"),
        row(_("Bound broadband"), product.get("bound_broadband"), record.get("bound_broadband")),
        row(
            _("Last authentication"),
            None,
            f"{when(record.get('last_auth_at'))} · {record.get('last_auth_result')}",
            differs=not record.get("last_auth_ok"),
        ),
    ]
