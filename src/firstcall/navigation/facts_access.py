"""Checks of the broadband access line: the customer's ONT as CRM records it, the NMS view of the
line (ONU light and registration, DSL line test, LAN switch port) and whether the customer's
dialling reaches AAA at all (F-BB-678, F-BB-651).

Like every check they read through the unified view, so the answers come from the call cache.
A check about one access type (ONU, switch port) says whether the line has one (`onu_present`,
`lan_port_present`), so a flow can tell "not this kind of line" from "this part is faulty".
"""

from datetime import timedelta
from typing import Any

from firstcall.core import clock
from firstcall.customers.unified import CustomerView
from firstcall.navigation.facts import (
    T,
    _missing,
    _ok,
    _time,
    broadband_account,
    check,
    crm_broadband,
    for_product,
    read_of,
    record_of,
)

missing = _missing
ok = _ok
parse_time = _time

# The customer is on the phone about dialling that fails now: attempts within this window are
# the ones the call is about.
DIALLING = timedelta(hours=1)
# More CRC errors than this on a LAN switch port is a bad cable or port, not noise.
CRC_ERRORS_BAD = 1000.0
ONT_MODES = {"路由": "route", "桥接": "bridge"}


async def nms_line(view: CustomerView) -> dict[str, Any]:
    """The NMS record of the customer's broadband line; empty when NMS has no such line."""
    return await for_product(view, "broadband", lambda account: line_of(view, account))


async def line_of(view: CustomerView, account: str) -> dict[str, Any]:
    """NMS's record of a broadband line; empty when there is no account or NMS has no line."""
    return await record_of(view, account, "nms", "line")


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
        result = await view.reads.get("aaa", "sessions", account)
        sessions = [] if missing(result) else ok(result).get("sessions") or []
        mac = str(ont["mac"]).lower()
        dialling = any(str(s.get("mac") or "").lower() == mac for s in sessions)
    return {
        **product_facts,
        "ont_mode": ONT_MODES.get(mode, "other" if mode else ""),
        "ont_dialling": dialling,
    }


@check("nms.line_test", "nms", line_test_passed=T.BOOLEAN, line_test_result=T.STRING)
async def nms_line_test(view: CustomerView) -> dict[str, Any]:
    """A line test from NMS (outside line for ADSL, optical for FTTH, port for LAN): it changes
    nothing on the line."""
    test = ok(await for_product(view, "broadband", read_of(view, "nms", "line_test")))
    return {
        "line_test_passed": bool(test.get("passed")),
        "line_test_result": str(test.get("result") or ""),
    }


@check("aaa.dial_attempts", "aaa", dial_attempts=T.FLOAT, dial_accepted=T.BOOLEAN)
async def aaa_dial_attempts(view: CustomerView) -> dict[str, Any]:
    """Authentication requests of the last hour: whether the customer's dialling reaches the BRAS
    and AAA at all (a request, even a rejected one, means the access line and PPPoE work)."""
    result = await for_product(view, "broadband", read_of(view, "aaa", "auth_log"))
    records = [] if missing(result) else ok(result).get("records") or []
    since = clock.now() - DIALLING
    recent = [r for r in records if (t := parse_time(r.get("time"))) is not None and t >= since]
    return {
        "dial_attempts": float(len(recent)),
        "dial_accepted": any(r.get("accepted") for r in recent),
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
