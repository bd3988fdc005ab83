"""The access line: the line CRM sold (access type, ONT, rate) against what the access network
(NMS) sees of it — the ONU's light and registration, the service configuration and VLANs, the
DSL line test, the LAN switch port — and the line under an IPTV service (F-BB-678, F-BB-651,
F-IPTV-NOPIC S3).

Each check reads through the unified view, so its answers come from the call cache. A check about
one access type (ONU, switch port) says whether the line has one (`onu_present`,
`lan_port_present`), so a flow can tell "not this kind of line" from "this part is faulty".
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from firstcall.customers.comparison import MISSING, PRESENT
from firstcall.customers.unified import CustomerView
from firstcall.navigation.checks.page import (
    RECORDS,
    Page,
    Row,
    Sight,
    Table,
    allocated,
    describe,
    row,
    when,
)
from firstcall.navigation.checks.reads import (
    for_iptv_line,
    for_product,
    ok,
    read_of,
    record_of,
)
from firstcall.navigation.checks.registry import T, check, shows

# More CRC errors than this on a LAN switch port is a bad cable or port, not noise.
CRC_ERRORS_BAD = 1000.0


async def nms_line(view: CustomerView) -> dict[str, Any]:
    """The NMS record of the customer's broadband line; empty when NMS has no such line."""
    return await for_product(view, "broadband", lambda account: line_of(view, account))


async def line_of(view: CustomerView, account: str) -> dict[str, Any]:
    """NMS's record of a broadband line; empty when there is no account or NMS has no line."""
    return await record_of(view, account, "nms", "line")


@check("nms.line_test", "nms", line_test_passed=T.BOOLEAN, line_test_result=T.STRING)
async def nms_line_test(view: CustomerView) -> dict[str, Any]:
    """A line test from NMS (outside line for ADSL, optical for FTTH, port for LAN): it changes
    nothing on the line."""
    test = ok(await for_product(view, "broadband", read_of(view, "nms", "line_test")))
    return {
        "line_test_passed": bool(test.get("passed")),
        "line_test_result": str(test.get("result") or ""),
    }


OFFLINE_REASONS = (
    ("掉电", "power_off"),
    ("dying", "power_off"),
    ("LOS", "los"),
    ("注册", "unregistered"),
)


def _offline_reason(label: str) -> str:
    for marker, code in OFFLINE_REASONS:
        if marker in label:
            return code
    return "other" if label else ""


@check(
    "nms.onu",
    "nms",
    onu_present=T.BOOLEAN,
    onu_online=T.BOOLEAN,
    onu_offline_reason=T.STRING,
    onu_rx_ok=T.BOOLEAN,
)
async def nms_onu(view: CustomerView) -> dict[str, Any]:
    """The ONU of an FTTH line: on line or not, why it went off line (power_off for a dying
    gasp, los for no light, unregistered), and whether its receive power is in the normal range
    (false when there is no reading: no light)."""
    onu = (await nms_line(view)).get("onu") or {}
    return {
        "onu_present": bool(onu),
        "onu_online": bool(onu.get("online")),
        "onu_offline_reason": _offline_reason(str(onu.get("offline_reason") or "")),
        "onu_rx_ok": bool(onu.get("rx_power_ok")),
    }


@check(
    "nms.onu_service",
    "nms",
    onu_registered=T.BOOLEAN,
    onu_config_present=T.BOOLEAN,
    internet_vlan_ok=T.BOOLEAN,
)
async def nms_onu_service(view: CustomerView) -> dict[str, Any]:
    """Whether the OLT knows the ONU (LOID/SN registration) and carries the customer's internet
    service on it (service configuration present, internet VLAN as provisioned)."""
    line = await nms_line(view)
    onu = line.get("onu") or {}
    config = line.get("service_config") or {}
    return {
        "onu_registered": bool(onu.get("registered")),
        "onu_config_present": bool(config),
        "internet_vlan_ok": bool(config.get("internet_vlan_ok")),
    }


@check(
    "nms.switch_port",
    "nms",
    lan_port_present=T.BOOLEAN,
    lan_port_up=T.BOOLEAN,
    lan_crc_errors=T.FLOAT,
)
async def nms_switch_port(view: CustomerView) -> dict[str, Any]:
    """The building switch port of a LAN line: up or down, and its CRC error count."""
    port = (await nms_line(view)).get("switch_port") or {}
    return {
        "lan_port_present": bool(port),
        "lan_port_up": bool(port.get("up")),
        "lan_crc_errors": float(port.get("crc_errors") or 0),
    }


# Line figures past these are poor (domain norms N-ADSL-SNR, N-ONU-RX): an SNR margin at or
# below 6 dB does not hold sync; below about -25 dBm an ONU's light is marginal.
SNR_MARGIN_POOR_DB = 6.0
RX_MARGINAL_DBM = -25.0
RETRAINS_UNSTABLE = 10
LOS_DROPS_UNSTABLE = 2


def _line_poor(line: dict[str, Any]) -> bool:
    if dsl := line.get("dsl"):
        return float(dsl.get("snr_margin_down_db") or 0) <= SNR_MARGIN_POOR_DB
    if onu := line.get("onu"):
        rx = onu.get("rx_power_dbm")
        return rx is None or float(rx) < RX_MARGINAL_DBM
    if port := line.get("switch_port"):
        errors = float(port.get("crc_errors") or 0)
        return "半双工" in str(port.get("speed_duplex") or "") or errors >= CRC_ERRORS_BAD
    return False


def _line_unstable(line: dict[str, Any]) -> bool:
    if dsl := line.get("dsl"):
        return int(dsl.get("retrains_24h") or 0) > RETRAINS_UNSTABLE or _line_poor(line)
    if onu := line.get("onu"):
        events = [str(e.get("event") or "") for e in onu.get("events") or []]
        return sum("LOS" in e for e in events) >= LOS_DROPS_UNSTABLE or _line_poor(line)
    return _line_poor(line)


@check("nms.line_quality", "nms", line_poor=T.BOOLEAN, line_unstable=T.BOOLEAN)
async def nms_line_quality(view: CustomerView) -> dict[str, Any]:
    """The line's figures against the norms: poor (ADSL SNR margin, FTTH receive power, LAN port
    at half duplex or with many CRC errors) and unstable (ADSL retrains, the ONU dropping for
    loss of light again and again; drops from power loss are the customer's equipment)."""
    line = await nms_line(view)
    return {"line_poor": _line_poor(line), "line_unstable": _line_unstable(line)}


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


# The pages.

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


@shows(
    "nms.line_test",
    "nms.onu",
    "nms.onu_service",
    "nms.switch_port",
    "nms.line_quality",
    "nms.iptv_line",
)
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
