"""The network serving a customer: the active alarms of the elements a number's service runs
through — the broadband line's access device and BRAS, the DNS node, the IPTV platform node, the
serving cell (with its coverage) and the switch of a mobile number, the SMS centre — so a flow can
tell one customer's fault from an outage of many (F-BB-691, F-BB-WEB, F-IPTV-NOPIC S5 and S6,
F-MOB-NOCALL, F-MOB-NOSMS S6).

Each check reads through the unified view, so its answers come from the call cache; the page
lists each element the step looked at against its alarms.
"""

import asyncio
from typing import Any

from django.utils.translation import gettext_lazy as _

from firstcall.customers.unified import CustomerView, detach
from firstcall.navigation.checks.page import Page, Sight, Table, describe, row, when
from firstcall.navigation.checks.reads import (
    alarm_count,
    for_iptv_line,
    for_product,
    found,
    iptv_platform,
    ok,
    record_of,
)
from firstcall.navigation.checks.registry import T, check, shows


@check("alarms.broadband", "alarms", alarm_count=T.FLOAT)
async def broadband_alarms(view: CustomerView) -> dict[str, Any]:
    async def line_alarms(account: str) -> dict[str, Any]:
        allocation = ok(await view.reads.get("resources", "allocation", account))
        ne_ids = ",".join(allocation.get("ne_ids") or [])
        alarms = ok(await view.reads.get("alarms", "active", ne_ids))
        return {"alarm_count": alarm_count(alarms)}

    return await for_product(view, "broadband", line_alarms)


@check("alarms.dns", "alarms", dns_alarm_count=T.FLOAT)
async def dns_alarms(view: CustomerView) -> dict[str, Any]:
    """Active alarms of the DNS node serving the line (as resources allocated it)."""

    async def node_alarms(account: str) -> dict[str, Any]:
        allocation = await record_of(view, account, "resources", "allocation")
        node = allocation.get("dns_node") or {}
        if not node.get("ne_id"):
            return {"dns_alarm_count": 0.0}
        active = ok(await view.reads.get("alarms", "active", str(node["ne_id"])))
        return {"dns_alarm_count": alarm_count(active)}

    return await for_product(view, "broadband", node_alarms)


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
            node = found(allocation).get("iptv_node") or {}
            if node.get("ne_id") and node["ne_id"] not in ne_ids:
                ne_ids.append(str(node["ne_id"]))
        if not ne_ids:
            return {"iptv_alarm_count": 0.0}
        active = ok(await view.reads.get("alarms", "active", ",".join(ne_ids)))
        return {"iptv_alarm_count": alarm_count(active)}

    return await for_iptv_line(view, node_alarms)


@check("alarms.cell", "alarms", cell_alarm_count=T.FLOAT, coverage_weak=T.BOOLEAN)
async def cell_alarms(view: CustomerView) -> dict[str, Any]:
    """The cell serving the number (HLR's location): its active alarms, and whether the coverage
    map rates it weak there."""

    async def serving_cell(number: str) -> dict[str, Any]:
        hlr = await record_of(view, number, "hlr", "subscriber")
        cell = str(hlr.get("serving_cell") or "")
        if not cell:
            return {"cell_alarm_count": 0.0, "coverage_weak": False}
        alarms, coverage = await asyncio.gather(
            view.reads.get("alarms", "active", cell), view.reads.get("gis", "coverage", cell)
        )
        active = ok(alarms)
        weak = bool(found(coverage).get("weak"))
        return {
            "cell_alarm_count": alarm_count(active),
            "coverage_weak": weak,
        }

    return await for_product(view, "mobile", serving_cell)


@check("alarms.voice_route", "alarms", route_alarm_count=T.FLOAT)
async def voice_route_alarms(view: CustomerView) -> dict[str, Any]:
    """Active alarms of the switch the number is registered on (its MSC or gateway): a trunk down
    there fails calls in one direction for every user on it."""

    async def switch_alarms(number: str) -> dict[str, Any]:
        msc = str((await record_of(view, number, "hlr", "subscriber")).get("msc_number") or "")
        if not msc:
            return {"route_alarm_count": 0.0}
        active = ok(await view.reads.get("alarms", "active", msc))
        return {"route_alarm_count": alarm_count(active)}

    return await for_product(view, "mobile", switch_alarms)


@check("alarms.smsc", "alarms", smsc_alarm_count=T.FLOAT)
async def smsc_alarms(view: CustomerView) -> dict[str, Any]:
    """Active alarms of the SMS centre serving the number: when it is down, every user on it
    misses messages at once."""

    async def centre_alarms(number: str) -> dict[str, Any]:
        smsc = str((await record_of(view, number, "smsc", "blocking")).get("smsc_id") or "")
        if not smsc:
            return {"smsc_alarm_count": 0.0}
        active = ok(await view.reads.get("alarms", "active", smsc))
        return {"smsc_alarm_count": alarm_count(active)}

    return await for_product(view, "mobile", centre_alarms)


# The page.


# Which product a check's alarms concern.
ALARM_PRODUCT = {"alarms.iptv": "iptv", "alarms.broadband": "broadband", "alarms.dns": "broadband"}


def _elements(sight: Sight) -> dict[str, tuple[Any, Any, Any]]:
    """Network elements the step's reads name: id -> (role, name, the system that names it)."""
    named: dict[str, tuple[Any, Any, Any]] = {}
    allocation = sight.data("resources.allocation") or {}
    for key, role in (
        ("access_device", _("Access device")),
        ("bras", _("BRAS")),
        ("dns_node", _("DNS node")),
        ("iptv_node", _("IPTV node")),
    ):
        if ne := allocation.get(key):
            named[str(ne.get("ne_id"))] = (role, ne.get("ne_name"), _("Resources"))
    hlr = sight.data("hlr.subscriber") or {}
    if hlr.get("serving_cell"):
        named[str(hlr["serving_cell"])] = (_("Serving cell"), hlr.get("cgi"), _("HLR"))
    if hlr.get("msc_number"):
        named[str(hlr["msc_number"])] = (_("Switch (MSC)"), hlr.get("msc_number"), _("HLR"))
    smsc = sight.data("smsc.blocking") or {}
    if smsc.get("smsc_id"):
        named[str(smsc["smsc_id"])] = (_("SMS centre"), smsc.get("smsc_name"), _("SMS centre"))
    iptv = sight.data("iptv.account") or {}
    if iptv.get("epg_ne_id"):
        node = (_("IPTV platform node"), iptv.get("epg_ne_name"), _("IPTV platform"))
        named[str(iptv["epg_ne_id"])] = node
    return named


@shows(
    "alarms.broadband",
    "alarms.dns",
    "alarms.iptv",
    "alarms.cell",
    "alarms.voice_route",
    "alarms.smsc",
)
async def alarms(sight: Sight, page: Page) -> None:
    describe(page, await sight.product(ALARM_PRODUCT.get(page.check.id, "mobile")))
    named = _elements(sight)
    counted = tuple(f for f in page.check.facts if f.endswith("alarm_count"))
    table = Table(
        _("Active alarms"),
        [_("Network element"), _("Object"), _("Alarm"), _("Severity"), _("Raised"), _("Users")],
    )
    for args, result in sight.results("alarms.active"):
        active = (result.data or {}).get("alarms") or [] if result.ok else None
        for ne in str(args[0] if args else "").split(","):
            role, name, source = named.get(ne, (_("Network element"), None, ""))
            n = None if active is None else sum(1 for a in active if a.get("ne_id") == ne)
            label = f"{name} ({ne})" if name and name != ne else ne
            page.rows.append(row(role, label, n, *counted, source=source, differs=bool(n)))
        for a in active or []:
            cells = [a.get("ne_name"), a.get("object"), a.get("name"), a.get("severity")]
            table.rows.append(([*cells, when(a.get("raised_at")), a.get("affected_users")], True))
    if coverage := sight.data("gis.coverage"):
        said = f"{coverage.get('level')} · RSRP {coverage.get('rsrp_dbm')} dBm"
        page.rows.append(
            row(
                _("Coverage of the serving cell"),
                coverage.get("cell_name"),
                said,
                "coverage_weak",
                differs=bool(coverage.get("weak")),
            )
        )
    if table.rows:
        page.tables.append(table)
