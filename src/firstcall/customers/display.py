"""What the panels show of each answer: a few labelled facts per product and per platform read,
in the order an agent scans them."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from firstcall.customers.unified import ProductPlatforms
from firstcall.integrations.envelope import Result

PRODUCT_TYPES = {
    "mobile": _("Mobile"),
    "broadband": _("Broadband"),
    "fixed": _("Fixed line"),
    "iptv": _("IPTV"),
}
SYSTEM_LABELS = {
    "crm": _("CRM"),
    "billing": _("Billing"),
    "ocs": _("OCS"),
    "hlr": _("HLR"),
    "aaa": _("AAA"),
    "nms": _("Access NMS"),
    "resources": _("Resources"),
    "alarms": _("Alarms"),
    "provisioning": _("Provisioning"),
    "smsc": _("SMS centre"),
    "vas": _("VAS platform"),
    "iptv": _("IPTV platform"),
    "pcrf": _("PCRF"),
    "points": _("Points"),
}
ERRORS = {
    "timeout": _("did not answer in time"),
    "unavailable": _("cannot be reached"),
    "http_5xx": _("answered with a server error"),
    "malformed": _("answered outside its contract"),
    "rejected": _("is paused after repeated failures"),
    "disabled": _("is switched off in the registry"),
    "dependency": _("waits for a system that failed"),
    "not_found": _("has no record"),
    "refused": _("refused the command"),
}
OPERATIONS = {
    "resync": _("resync"),
    "clear_binding": _("clear the binding"),
    "rebind": _("re-bind the set-top box"),
    "resume": _("resume service"),
}

# Names of the fields the comparison checks.
FIELD_LABELS = {
    "barring_out": _("Outgoing calls barred"),
    "barring_in": _("Incoming calls barred"),
    "lock_data": _("Data locked"),
    "data_provisioned": _("Data subscribed"),
    "sms_mt_provisioned": _("SMS delivery (TS21)"),
    "intl_roaming_allowed": _("International roaming allowed"),
    "o_csi": _("Prepaid call trigger (O-CSI)"),
    "state": _("State"),
    "offer_id": _("Offer"),
    "throttled": _("Speed limited"),
    "account": _("Account"),
    "access_type_limit": _("Access type"),
    "down_mbps": _("Download speed (Mbit/s)"),
    "up_mbps": _("Upload speed (Mbit/s)"),
    "bound_port": _("Bound port and VLAN"),
    "internet_vlan_ok": _("Internet VLAN configured"),
    "iptv_vlan_ok": _("IPTV VLAN configured"),
    "bound_stb_mac": _("Bound set-top box"),
}
READ_LABELS = {
    "aaa.sessions": _("AAA sessions"),
    "provisioning.work_orders": _("Provisioning"),
}

# (read, [(label, path into the answer)]) shown per platform read.
FACTS: dict[str, list[tuple[Promise, str]]] = {
    "hlr.subscriber": [
        (_("Outgoing barred"), "barring_out"),
        (_("Incoming barred"), "barring_in"),
        (_("Data"), "data_provisioned"),
        (_("International roaming"), "intl_roaming_allowed"),
        (_("SMS (MT)"), "sms_mt_provisioned"),
        (_("Serving cell"), "serving_cell"),
    ],
    "ocs.subscriber": [
        (_("Status"), "status"),
        (_("Balance (yuan)"), "balance"),
        (_("Data left (MB)"), "data.remaining_mb"),
        (_("Throttled"), "data.throttled"),
    ],
    "pcrf.policy": [
        (_("Policy"), "policy_name"),
        (_("Throttled"), "throttled"),
        (_("Usage %"), "usage_percent"),
    ],
    "smsc.blocking": [(_("106 blocked"), "block_106"), (_("Spam intercept"), "spam_intercept")],
    "vas.subscriptions": [(_("Subscriptions"), "subscriptions")],
    "aaa.user": [
        (_("Status"), "status"),
        (_("Locked"), "locked"),
        (_("Speed (Mbit/s)"), "down_mbps"),
        (_("Bound port"), "bound_port"),
    ],
    "aaa.sessions": [(_("Online sessions"), "sessions")],
    "nms.line": [
        (_("ONU online"), "onu.online"),
        (_("Rx power (dBm)"), "onu.rx_power_dbm"),
        (_("Internet VLAN OK"), "service_config.internet_vlan_ok"),
        (_("IPTV VLAN OK"), "service_config.iptv_vlan_ok"),
    ],
    "resources.allocation": [
        (_("Access device"), "access_device.ne_name"),
        (_("Port"), "access_device.port"),
        (_("VLAN"), "svlan"),
    ],
    "alarms.active": [(_("Active alarms"), "alarms")],
    "provisioning.work_orders": [(_("Work orders"), "work_orders")],
    "iptv.account": [
        (_("Status"), "status"),
        (_("Bound STB"), "bound_stb_mac"),
        (_("STB in use"), "current_stb_mac"),
    ],
}


def dig(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    if isinstance(data, list):
        return len(data)
    return data


@dataclass
class ReadRow:
    name: str
    system: str
    label: Any
    ok: bool
    missing: bool
    error_code: str = ""
    error_text: Any = ""
    facts: list[tuple[Any, Any]] = field(default_factory=list)
    cached: bool = False
    latency_ms: float = 0.0


def read_row(name: str, result: Result) -> ReadRow:
    system = name.split(".")[0]
    code = result.error.code if result.error else ""
    row = ReadRow(
        name=name,
        system=system,
        label=READ_LABELS.get(name) or SYSTEM_LABELS.get(system, system),
        ok=result.ok,
        missing=code == "not_found",
        error_code=code,
        error_text=ERRORS.get(code, code),
        cached=bool(result.meta.get("cached")),
        latency_ms=result.latency_ms,
    )
    if result.ok:
        row.facts = [(label, dig(result.data, path)) for label, path in FACTS.get(name, [])]
    return row


def products(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for p in items:
        terminal = []
        if p.get("imsi"):
            terminal.append((_("IMSI"), p["imsi"]))
            terminal.append((_("ICCID"), p.get("iccid")))
        if ont := p.get("ont"):
            terminal.append((_("ONT"), f"{ont.get('vendor', '')} {ont.get('model', '')}"))
            terminal.append((_("ONT mode"), ont.get("mode")))
            terminal.append((_("ONT serial"), ont.get("sn")))
        if stb := p.get("stb"):
            terminal.append((_("Set-top box"), f"{stb.get('vendor', '')} {stb.get('model', '')}"))
            terminal.append((_("STB MAC"), stb.get("mac")))
        rows.append(
            {
                "type": PRODUCT_TYPES.get(p.get("product_type", ""), p.get("product_type")),
                "product_type": p.get("product_type"),
                "number": p.get("number"),
                "offer": p.get("offer_name"),
                "status": p.get("status"),
                "state": p.get("state"),
                "rate": p.get("rate"),
                "access_type": p.get("access_type"),
                "features": p.get("features") or {},
                "terminal": terminal,
            }
        )
    return rows


def platforms(entries: list[ProductPlatforms]) -> list[dict[str, Any]]:
    out = []
    for entry in entries:
        rows = [read_row(name, result) for name, result in entry.reads.items()]
        if entry.orders is not None:
            rows.append(read_row("provisioning.work_orders", entry.orders))
        out.append(
            {
                "type": PRODUCT_TYPES.get(entry.product_type, entry.product_type),
                "number": entry.key,
                "status": entry.product.get("status"),
                "rows": rows,
                "failed": [r for r in rows if not r.ok and not r.missing],
            }
        )
    return out
