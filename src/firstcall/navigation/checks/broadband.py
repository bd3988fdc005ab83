"""Broadband: the product CRM sold against the AAA account (state, rate, lock), its
authentication requests and dialling, the port it dials from against the one resources
allocated, and the customer's ONT (F-BB-691, F-BB-678, F-BB-651, F-BB-ERRCODE).

Each check reads through the unified view, so its answers come from the call cache; each page
sets CRM's record beside the platform's.
"""

import asyncio
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from firstcall.core import clock
from firstcall.customers.comparison import AAA_STATE, MISSING, PRESENT
from firstcall.customers.unified import CustomerView
from firstcall.integrations.records import Allocation, auth_requests
from firstcall.navigation.checks.page import (
    RECORDS,
    Page,
    Row,
    Sight,
    Table,
    allocated,
    describe,
    row,
    state,
    vlans,
    when,
)
from firstcall.navigation.checks.reads import (
    RECENT,
    broadband_account,
    for_product,
    found,
    ok,
    product_details,
    read_of,
)
from firstcall.navigation.checks.registry import T, check, shows

# The customer is on the phone about dialling that fails now: attempts within this window are
# the ones the call is about.
DIALLING = timedelta(hours=1)
ONT_MODES = {"路由": "route", "桥接": "bridge"}


@check("crm.broadband", "crm", bb_state=T.STRING, bb_access_type=T.STRING, has_broadband=T.BOOLEAN)
async def crm_broadband(view: CustomerView) -> dict[str, Any]:
    product = await product_details(view, "broadband")
    return {
        "bb_state": product.get("state") or "",
        "bb_access_type": product.get("access_type") or "",
        "has_broadband": bool(product),
    }


@check("aaa.user", "aaa", aaa_exists=T.BOOLEAN, aaa_state=T.STRING, aaa_locked=T.BOOLEAN)
async def aaa_user(view: CustomerView) -> dict[str, Any]:
    result = await for_product(view, "broadband", read_of(view, "aaa", "user"))
    if result.missing:
        return {"aaa_exists": False, "aaa_state": "", "aaa_locked": False}
    user = ok(result)
    return {
        "aaa_exists": True,
        "aaa_state": user.get("state") or "",
        "aaa_locked": bool(user.get("locked")),
    }


async def recent_requests(view: CustomerView, window: timedelta) -> list[dict[str, Any]]:
    """AAA's authentication requests of the broadband account within the window, newest first."""
    log = found(await for_product(view, "broadband", read_of(view, "aaa", "auth_log")))
    since = clock.now() - window
    records = log.get("records") or []
    parsed = auth_requests(log)
    return [r for r, p in zip(records, parsed, strict=True) if p.time and p.time >= since]


@check(
    "aaa.auth_log",
    "aaa",
    auth_any=T.BOOLEAN,
    auth_last_accepted=T.BOOLEAN,
    auth_reason=T.STRING,
    auth_any_accept=T.BOOLEAN,
)
async def aaa_auth_log(view: CustomerView) -> dict[str, Any]:
    """Authentication requests of the last day: the customer is dialling now, so older ones say
    nothing about the error they report."""
    recent = await recent_requests(view, RECENT)
    last = recent[0] if recent else {}
    return {
        "auth_any": bool(recent),
        "auth_last_accepted": bool(last.get("accepted")),
        "auth_reason": "" if last.get("accepted") else str(last.get("reason") or ""),
        "auth_any_accept": any(r.get("accepted") for r in recent),
    }


@check("aaa.dial_attempts", "aaa", dial_attempts=T.FLOAT, dial_accepted=T.BOOLEAN)
async def aaa_dial_attempts(view: CustomerView) -> dict[str, Any]:
    """Authentication requests of the last hour: whether the customer's dialling reaches the BRAS
    and AAA at all (a request, even a rejected one, means the access line and PPPoE work)."""
    recent = await recent_requests(view, DIALLING)
    return {
        "dial_attempts": float(len(recent)),
        "dial_accepted": any(r.get("accepted") for r in recent),
    }


@check("resources.binding", "resources", res_matches_actual=T.BOOLEAN)
async def resources_binding(view: CustomerView) -> dict[str, Any]:
    """Whether the port the customer actually dials from (the last authentication request) is the
    port resources allocated."""
    allocation, log = await asyncio.gather(
        for_product(view, "broadband", read_of(view, "resources", "allocation")),
        for_product(view, "broadband", read_of(view, "aaa", "auth_log")),
    )
    line = Allocation.of(ok(allocation))
    requests = auth_requests(ok(log))
    dials = requests[0].port if requests else None
    return {"res_matches_actual": line is not None and line.carries(dials)}


@check(
    "crm.broadband_ont",
    "crm",
    bb_state=T.STRING,
    bb_access_type=T.STRING,
    has_broadband=T.BOOLEAN,
    ont_mode=T.STRING,
    ont_dialling=T.BOOLEAN,
)
async def crm_broadband_ont(view: CustomerView) -> dict[str, Any]:
    """The broadband product (as `crm.broadband`) with the customer's ONT: its working mode
    ("route" when the ONT dials itself, "bridge" when a PC or router behind it dials) and whether
    the ONT holds an online session of the account right now (AAA sessions from the ONT's MAC)."""
    # The sessions are asked only once CRM's product details show an ONT with a MAC; they start
    # at once with the typed number, the usual account, so that answer is on its way by then.
    view.ahead("broadband", read_of(view, "aaa", "sessions"))
    product_facts = await crm_broadband(view)
    account = await broadband_account(view)
    ont: dict[str, Any] = {}
    for p in await view.products():
        if p.get("number") == account:
            ont = p.get("ont") or {}
    mode = str(ont.get("mode") or "")
    dialling = False
    if account and ont.get("mac"):
        sessions = found(await view.reads.get("aaa", "sessions", account)).get("sessions") or []
        mac = str(ont["mac"]).lower()
        dialling = any(str(s.get("mac") or "").lower() == mac for s in sessions)
    return {
        **product_facts,
        "ont_mode": ONT_MODES.get(mode, "other" if mode else ""),
        "ont_dialling": dialling,
    }


# The pages.


def aaa_rows(product: dict[str, Any], aaa: dict[str, Any] | None, allocation: Any) -> list[Row]:
    have = None if aaa is None else PRESENT if aaa else MISSING
    rows = [row(_("AAA account"), PRESENT if product else None, have, "aaa_exists")]
    if not aaa:
        return rows
    expected = AAA_STATE.get(str(product.get("state") or ""))
    rows += [
        row(
            _("State"),
            state(product),
            state(aaa),
            "bb_state",
            "aaa_state",
            expects=expected,
            differs=expected is not None and aaa.get("state") != expected,
        ),
        row(_("Account locked"), False, bool(aaa.get("locked")), "aaa_locked"),
        row(
            _("Access type"),
            product.get("access_type"),
            aaa.get("access_type_limit"),
            "bb_access_type",
        ),
        row(
            _("Download speed (Mbit/s)"),
            product.get("down_mbps"),
            aaa.get("down_mbps"),
            "rate_profile_stale",
        ),
        row(_("Upload speed (Mbit/s)"), product.get("up_mbps"), aaa.get("up_mbps")),
    ]
    if aaa.get("bound"):
        bound = vlans(aaa.get("bound_port"))
        rows.append(
            row(
                _("VLANs AAA has bound"),
                allocated(allocation),
                bound,
                "res_matches_actual",
                "auth_reason",
                source=_("Resources"),
            )
        )
    return rows


async def broadband_records(sight: Sight, page: Page) -> tuple[dict[str, Any], Any, Any]:
    """CRM's broadband product (described on the page), AAA's account and resources' line."""
    product = await sight.product("broadband")
    describe(page, product)
    if not product:
        return product, None, None
    aaa = await sight.platform(product, "aaa.user")
    allocation = await sight.platform(product, "resources.allocation")
    return product, aaa, allocation


@shows("crm.broadband", "aaa.user")
async def broadband_aaa(sight: Sight, page: Page) -> None:
    product, aaa, allocation = await broadband_records(sight, page)
    if product:
        page.rows += aaa_rows(product, aaa, allocation)


@shows("aaa.auth_log", "aaa.dial_attempts")
async def authentication(sight: Sight, page: Page) -> None:
    product, aaa, allocation = await broadband_records(sight, page)
    if not product:
        return
    page.rows += aaa_rows(product, aaa, allocation)
    auth_log_rows(sight, page, allocation)


def auth_log_rows(sight: Sight, page: Page, allocation: Any) -> None:
    records = (sight.data("aaa.auth_log") or {}).get("records") or []
    last = records[0] if records else {}
    facts = ("auth_any", "auth_last_accepted", "auth_reason", "auth_any_accept")
    dialling = ("dial_attempts", "dial_accepted", "redial_rejects", "redial_requests")
    said = " · ".join(str(x) for x in (last.get("packet_type"), last.get("reason")) if x)
    page.rows.append(
        row(
            _("Last authentication"),
            "Access-Accept",
            said or _("no request"),
            *facts,
            *dialling,
            differs=not last.get("accepted"),
        )
    )
    if last:
        page.rows.append(
            row(
                _("VLANs the customer dials from"),
                allocated(allocation),
                vlans(last.get("port")),
                "res_matches_actual",
                source=_("Resources"),
            )
        )
    table = Table(
        _("Authentication requests"),
        [_("Time"), _("Result"), _("Reason"), _("VLANs"), _("MAC")],
    )
    for r in records[:RECORDS]:
        cells = [when(r.get("time")), r.get("packet_type"), r.get("reason"), vlans(r.get("port"))]
        table.rows.append(([*cells, r.get("mac")], not r.get("accepted")))
    page.tables.append(table)


@shows("crm.broadband_ont")
async def ont(sight: Sight, page: Page) -> None:
    product, aaa, allocation = await broadband_records(sight, page)
    if not product:
        return
    page.rows += aaa_rows(product, aaa, allocation)
    terminal = product.get("ont") or {}
    online = (sight.data("aaa.sessions") or {}).get("sessions") or []
    macs = ", ".join(str(s.get("mac")) for s in online if s.get("mac")) or None
    page.rows += [
        row(_("ONT mode"), terminal.get("mode"), None, "ont_mode"),
        row(_("ONT dialling now (MAC)"), terminal.get("mac"), macs, "ont_dialling", differs=False),
    ]


@shows("resources.binding")
async def binding(sight: Sight, page: Page) -> None:
    product, aaa, allocation = await broadband_records(sight, page)
    if not product:
        return
    allocation = allocation or {}
    device = allocation.get("access_device") or {}
    records = (sight.data("aaa.auth_log") or {}).get("records") or []
    dials = vlans(records[0].get("port")) if records else None
    page.rows += [
        row(_("Access type"), product.get("access_type"), allocation.get("access_type")),
        row(
            _("Install address"),
            product.get("install_address"),
            allocation.get("install_address"),
        ),
        row(
            _("Access device"),
            None,
            " ".join(str(device.get(k) or "") for k in ("ne_name", "port")),
        ),
        row(_("VLANs allocated"), None, allocated(allocation), source=_("Resources")),
        row(
            _("VLANs the customer dials from"),
            allocated(allocation),
            dials,
            "res_matches_actual",
            source=_("Resources"),
        ),
    ]
    if aaa and aaa.get("bound"):
        bound = vlans(aaa.get("bound_port"))
        page.rows.append(row(_("VLANs AAA has bound"), allocated(allocation), bound))
