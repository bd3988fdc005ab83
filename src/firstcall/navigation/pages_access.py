"""The rows of the access-network steps' pages: the line CRM sold (access type, ONT, rate) against
what the access network (NMS) sees of it, the IPTV service against the IPTV platform, and the
network elements serving a number against their active alarms."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from firstcall.customers.comparison import IPTV_STATE, MISSING, PRESENT
from firstcall.navigation.facts_access import (
    CRC_ERRORS_BAD,
    RETRAINS_UNSTABLE,
    SNR_MARGIN_POOR_DB,
)
from firstcall.navigation.pages import (
    RECORDS,
    Page,
    Row,
    Sight,
    Table,
    allocated,
    builds,
    describe,
    row,
    state,
    when,
)

LINE_FACTS = ("iptv_line_up",)


def _onu(product: dict[str, Any], onu: dict[str, Any]) -> list[Row]:
    terminal = product.get("ont") or {}
    offline = onu.get("offline_reason")
    low, high = onu.get("rx_normal_min_dbm"), onu.get("rx_normal_max_dbm")
    return [
        row(_("ONT serial"), terminal.get("sn"), onu.get("sn"), "onu_registered"),
        row(_("LOID"), terminal.get("loid"), onu.get("loid"), "onu_registered"),
        row(
            _("Registration"),
            None,
            onu.get("registration"),
            "onu_registered",
            differs=not onu.get("registered"),
        ),
        row(
            _("ONU online"),
            True,
            onu.get("online") if not offline else f"{onu.get('status')} · {offline}",
            "onu_online",
            "onu_offline_reason",
            *LINE_FACTS,
            differs=not onu.get("online"),
        ),
        row(
            _("Rx power (dBm)"),
            f"{low} … {high}" if low is not None else None,
            onu.get("rx_power_dbm"),
            "onu_rx_ok",
            "line_poor",
            differs=not onu.get("rx_power_ok"),
        ),
    ]


def _config(config: dict[str, Any], allocation: Any, has_iptv: bool) -> list[Row]:
    internet = None
    if config.get("internet_svlan") is not None:
        internet = f"{config.get('internet_svlan')}/{config.get('internet_cvlan')}"
    rows = [
        row(
            _("Internet VLAN configured"),
            allocated(allocation),
            internet,
            "internet_vlan_ok",
            "onu_config_present",
            source=_("Resources"),
            differs=config.get("internet_vlan_ok") is False,
        )
    ]
    if has_iptv or config.get("iptv_vlan") is not None:
        rows.append(
            row(
                _("IPTV VLAN configured"),
                has_iptv,
                config.get("iptv_vlan") if config.get("iptv_vlan_ok") else False,
                "iptv_vlan_configured",
                differs=has_iptv and not config.get("iptv_vlan_ok"),
            )
        )
    if config.get("iptv_port"):
        rows.append(
            row(
                _("Set-top box port"),
                config.get("iptv_port"),
                config.get("stb_learned_on_port"),
                "stb_port_ok",
                source=_("NMS"),
            )
        )
    return rows


def _port(port: dict[str, Any]) -> list[Row]:
    errors = float(port.get("crc_errors") or 0)
    return [
        row(
            _("Switch port"),
            "up",
            port.get("status"),
            "lan_port_present",
            "lan_port_up",
            *LINE_FACTS,
            differs=not port.get("up"),
        ),
        row(
            _("CRC errors"),
            f"< {CRC_ERRORS_BAD:.0f}",
            port.get("crc_errors"),
            "lan_crc_errors",
            "line_poor",
            differs=errors >= CRC_ERRORS_BAD,
        ),
        row(
            _("Speed and duplex"),
            None,
            port.get("speed_duplex"),
            "line_poor",
            differs="半双工" in str(port.get("speed_duplex") or ""),
        ),
    ]


def _dsl(product: dict[str, Any], dsl: dict[str, Any]) -> list[Row]:
    sync = f"{dsl.get('status')} · {dsl.get('sync_down_kbps')} kbit/s"
    return [
        row(_("DSL sync"), product.get("rate"), sync, *LINE_FACTS, differs=not dsl.get("active")),
        row(
            _("SNR margin (dB)"),
            f"> {SNR_MARGIN_POOR_DB:.0f}",
            dsl.get("snr_margin_down_db"),
            "line_poor",
            differs=float(dsl.get("snr_margin_down_db") or 0) <= SNR_MARGIN_POOR_DB,
        ),
        row(
            _("Retrains in 24 h"),
            f"≤ {RETRAINS_UNSTABLE}",
            dsl.get("retrains_24h"),
            "line_unstable",
            differs=int(dsl.get("retrains_24h") or 0) > RETRAINS_UNSTABLE,
        ),
    ]


@builds("nms")
async def access_line(sight: Sight, page: Page) -> None:
    product = await sight.product("broadband")
    iptv = await sight.product("iptv")
    if page.check.id == "nms.iptv_line" and iptv.get("bound_broadband"):
        bound = [
            p for p in await sight.view.products() if p.get("number") == iptv["bound_broadband"]
        ]
        product = bound[0] if bound else product
    describe(page, product)
    if not product:
        return
    line = sight.data("nms.line")
    if line is None:
        line = await sight.platform(product, "nms.line")
    line = line or {}
    page.rows.append(
        row(
            _("Access type"),
            product.get("access_type"),
            line.get("access_type") or (MISSING if line == {} else None),
        )
    )
    if onu := line.get("onu"):
        page.rows += _onu(product, onu)
    elif line:
        page.rows.append(row(_("ONU"), None, _("none on this line"), "onu_present", differs=False))
    config = line.get("service_config")
    if config:
        allocation = await sight.platform(product, "resources.allocation")
        page.rows += _config(config, allocation, bool(iptv))
    elif line.get("onu"):
        page.rows.append(row(_("Service configuration"), PRESENT, MISSING, "onu_config_present"))
    if port := line.get("switch_port"):
        page.rows += _port(port)
    if dsl := line.get("dsl"):
        page.rows += _dsl(product, dsl)
    if test := sight.data("nms.line_test"):
        said = f"{test.get('test_type')}: {test.get('result')}"
        page.rows.append(
            row(
                _("Line test"),
                None,
                said,
                "line_test_passed",
                "line_test_result",
                differs=not test.get("passed"),
            )
        )
    events = (line.get("onu") or {}).get("events") or []
    if events:
        table = Table(_("ONU events"), [_("Time"), _("Event")])
        for e in events[:RECORDS]:
            table.rows.append(([when(e.get("time")), e.get("event")], "LOS" in str(e.get("event"))))
        page.tables.append(table)


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


@builds("alarms")
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


@builds("iptv")
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
