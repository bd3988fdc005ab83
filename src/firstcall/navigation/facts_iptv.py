"""Checks of an IPTV service: the access line it rides on and the ONT's IPTV port and VLAN
(F-IPTV-NOPIC S3), the IPTV platform account and set-top-box binding (S4), and the alarms of
the IPTV platform node serving it (S5, and the single-or-many decision of S6).

Like every check they read through the unified view, so the answers come from the call cache.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from firstcall.customers.unified import CustomerView, detach
from firstcall.navigation.facts import (
    T,
    _missing,
    _ok,
    broadband_account,
    check,
    for_product,
    product_details,
    product_number,
    record_of,
)

ok = _ok
missing = _missing


async def iptv_account(view: CustomerView) -> str:
    return await product_number(view, "iptv")


async def iptv_product(view: CustomerView) -> dict[str, Any]:
    """The IPTV product the call is about, with CRM's details (state, set-top box, binding)."""
    return await product_details(view, "iptv")


async def iptv_broadband(view: CustomerView) -> str:
    """The broadband account the IPTV service is bound to (CRM), else the customer's line."""
    bound = (await iptv_product(view)).get("bound_broadband")
    return str(bound) if bound else await broadband_account(view)


async def for_iptv_line[R](view: CustomerView, read: Callable[[str], Awaitable[R]]) -> R:
    """`read(account)` for the broadband line the IPTV service rides on (`iptv_broadband`).

    CRM's list of service numbers names the customer's line in one request; the binding comes
    with the product details, a second. The read starts on the listed line meanwhile, and is
    the answer when the binding names that line (as it does unless the customer has several)."""
    line = await broadband_account(view)
    early = detach(read(line))
    account = await iptv_broadband(view)
    return await (early if account == line else read(account))


async def iptv_platform(view: CustomerView) -> dict[str, Any]:
    """The IPTV platform's account; empty when the platform has no such account."""
    return await for_product(
        view, "iptv", lambda account: record_of(view, account, "iptv", "account")
    )


def line_up(line: dict[str, Any]) -> bool:
    """The access line carries traffic: ONU on line (FTTH), switch port up (LAN), DSL in sync."""
    if onu := line.get("onu"):
        return bool(onu.get("online"))
    if port := line.get("switch_port"):
        return bool(port.get("up"))
    if dsl := line.get("dsl"):
        return bool(dsl.get("active"))
    return False


@check(
    "nms.iptv_line",
    "nms",
    iptv_line_up=T.BOOLEAN,
    stb_port_ok=T.BOOLEAN,
    iptv_vlan_configured=T.BOOLEAN,
)
async def nms_iptv_line(view: CustomerView) -> dict[str, Any]:
    """The line under the IPTV service: whether it is up at all (broadband down too), whether the
    set-top box is seen on the ONT port meant for IPTV (an STB not seen anywhere is no evidence
    of a wrong port), and whether the IPTV VLAN is configured as provisioned."""
    line = await for_iptv_line(view, lambda account: record_of(view, account, "nms", "line"))
    config = line.get("service_config") or {}
    learned, meant = config.get("stb_learned_on_port"), config.get("iptv_port")
    return {
        "iptv_line_up": line_up(line),
        "stb_port_ok": learned is None or learned == meant,
        "iptv_vlan_configured": bool(config.get("iptv_vlan_ok")),
    }


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


@check("alarms.iptv", "alarms", iptv_alarm_count=T.FLOAT)
async def iptv_alarms(view: CustomerView) -> dict[str, Any]:
    """Active alarms of the IPTV platform node (EPG/CDN) serving the customer, as the IPTV
    platform and resources name it."""
    platform = detach(iptv_platform(view))

    async def node_alarms(account: str) -> dict[str, Any]:
        # The platform's node and the line's, then their alarms: all under way while CRM is
        # still asked for the line the service is bound to.
        record = await platform
        ne_ids = [str(record["epg_ne_id"])] if record.get("epg_ne_id") else []
        if account:
            allocation = await view.reads.get("resources", "allocation", account)
            node = {} if missing(allocation) else ok(allocation).get("iptv_node") or {}
            if node.get("ne_id") and node["ne_id"] not in ne_ids:
                ne_ids.append(str(node["ne_id"]))
        if not ne_ids:
            return {"iptv_alarm_count": 0.0}
        active = ok(await view.reads.get("alarms", "active", ",".join(ne_ids)))
        return {"iptv_alarm_count": float(active.get("total") or len(active.get("alarms") or []))}

    return await for_iptv_line(view, node_alarms)
