"""What the panels show of each answer: a few labelled facts per product and per platform read,
in the order an agent scans them."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from firstcall.customers.unified import ProductPlatforms
from firstcall.integrations.envelope import Result
from firstcall.integrations.records import NasPort, moment

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
# The platform commands a flow's action step sends, by "system.operation".
COMMANDS = {
    "aaa.clear_binding": _("clear the old binding in AAA"),
    "aaa.kick": _("force the session in AAA offline"),
    "aaa.kick_reset_password": _("force the session offline and reset the password in AAA"),
    "aaa.reset_password": _("reset the broadband password in AAA"),
    "aaa.resync": _("resync the broadband account to AAA"),
    "billing.refund": _("refund in billing"),
    "hlr.resync": _("resync the subscription to the HLR"),
    "iptv.rebind": _("re-bind the set-top box on the IPTV platform"),
    "nms.resync": _("resync the line configuration in the NMS"),
    "points.resend": _("resend the points redemption"),
    "provisioning.resend": _("resend the order to provisioning"),
    "provisioning.resume": _("resume service through provisioning"),
    "provisioning.resync": _("resync the product through provisioning"),
    "smsc.unblock": _("lift the SMS blocking in the SMS centre"),
    "vas.unsubscribe": _("unsubscribe the service"),
    "vas.unsubscribe_all": _("unsubscribe every service"),
}
# Features a product is ordered with (CRM's feature flags).
FEATURE_LABELS = {
    "outgoing": _("Outgoing calls"),
    "incoming": _("Incoming calls"),
    "sms": _("SMS"),
    "data": _("Mobile data"),
    "volte": _("VoLTE"),
    "intl_roaming": _("International roaming"),
    "intl_long_distance": _("International calls"),
    "multicast": _("Multicast"),
    "playback": _("Playback"),
}
# State and kind words the back ends answer with, as an agent reads them.
VALUE_LABELS = {
    "active": pgettext_lazy("platform value", "active"),
    "stopped": pgettext_lazy("platform value", "stopped"),
    "suspended": pgettext_lazy("platform value", "suspended"),
    "installing": pgettext_lazy("platform value", "being installed"),
    "arrears_stopped": pgettext_lazy("platform value", "stopped for arrears"),
    "arrears_one_way": pgettext_lazy("platform value", "one-way stop for arrears"),
    "arrears_two_way": pgettext_lazy("platform value", "two-way stop for arrears"),
    "expired": pgettext_lazy("platform value", "stopped at expiry"),
    "user_stopped": pgettext_lazy("platform value", "suspended at the customer's request"),
    "reported_lost": pgettext_lazy("platform value", "reported lost"),
    "fraud_shutdown": pgettext_lazy("platform value", "shut down for suspected fraud"),
    "identity_shutdown": pgettext_lazy("platform value", "shut down pending real-name check"),
    "pending_removal": pgettext_lazy("platform value", "to be disconnected"),
    "removed": pgettext_lazy("platform value", "disconnected"),
    "quasi_prepaid": pgettext_lazy("platform value", "quasi-prepaid"),
    "cancelled": pgettext_lazy("platform value", "cancelled"),
    "completed": pgettext_lazy("platform value", "completed"),
    "in_progress": pgettext_lazy("platform value", "in progress"),
    "failed": pgettext_lazy("platform value", "failed"),
    "delivered": pgettext_lazy("platform value", "delivered"),
    "pending": pgettext_lazy("platform value", "pending"),
    "route": pgettext_lazy("platform value", "router mode"),
    "bridge": pgettext_lazy("platform value", "bridge mode"),
    "los": pgettext_lazy("platform value", "loss of signal"),
    "power_off": pgettext_lazy("platform value", "powered off"),
    "prepaid": pgettext_lazy("platform value", "prepaid"),
    "postpaid": pgettext_lazy("platform value", "postpaid"),
    "normal": pgettext_lazy("platform value", "normal"),
    "high": pgettext_lazy("platform value", "high"),
    "urgent": pgettext_lazy("platform value", "urgent"),
    "low": pgettext_lazy("platform value", "low"),
}
# A date this far ahead is the back ends' way of saying "no end".
NO_END_YEAR = 2099
DATE = re.compile(r"^(\d{4})-\d{2}-\d{2}")


def port_text(value: str) -> str:
    """AAA's NAS port ("slot=0;subslot=0;port=1;vlanid=1546;vlanid2=3983;") as an agent reads
    it: "槽0/子槽0/端口1 · VLAN 1546/3983"; the text itself when it names no VLAN pair."""
    port = NasPort.parse(value)
    return str(port) if port is not None else value


def shown(value: Any) -> Any:
    """A platform value as an agent reads it: yes/no for flags, whole numbers without ".0", a
    state word in the interface language, "long-term" for a far-future date, a NAS port in
    words, a dash for nothing."""
    if value is True:
        return gettext("yes")
    if value is False:
        return gettext("no")
    if value is None or value == "":
        return "—"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        if value in VALUE_LABELS:
            return VALUE_LABELS[value]
        if (m := DATE.match(value)) and int(m.group(1)) >= NO_END_YEAR:
            return gettext("long-term")
        if "vlanid=" in value:
            return port_text(value)
    return value


def read_time(fetched_at: Any, now: datetime | None = None) -> str:
    """When a platform was read: "read 2 minutes ago" within the hour, "read at 10:42" today,
    the date and time before that."""
    fetched_at = moment(fetched_at)
    if fetched_at is None:
        return ""
    now = now or timezone.now()
    seconds = max(0, int((now - fetched_at).total_seconds()))
    if seconds < 60:
        return gettext("read just now")
    if seconds < 3600:
        minutes = seconds // 60
        return ngettext("read %(count)d minute ago", "read %(count)d minutes ago", minutes) % {
            "count": minutes
        }
    local = timezone.localtime(fetched_at)
    if local.date() == timezone.localtime(now).date():
        return gettext("read at %(time)s") % {"time": date_format(local, "H:i")}
    return gettext("read at %(time)s") % {"time": date_format(local, "m-d H:i")}


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
    fetched_at: datetime | None = None


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
        fetched_at=result.meta.get("fetched_at"),
    )
    if result.ok:
        row.facts = [(label, dig(result.data, path)) for label, path in FACTS.get(name, [])]
    return row


def features(flags: dict[str, Any]) -> list[tuple[Any, bool]]:
    """(name, ordered) of each feature flag of a product, named in the interface language."""
    return [(FEATURE_LABELS.get(k, k), bool(v)) for k, v in flags.items()]


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
                "features": features(p.get("features") or {}),
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
