"""Expected against actual: what each platform should hold for a product, derived from the CRM
product and its status, against what the platform holds.

The rules are the operator's provisioning rules written out per platform (a stopped mobile line is
barred outgoing on the HLR, a broadband account in arrears is "arrears" on AAA ...). Each rule
names the field, the expected and the actual value, and the repair that makes the platform agree
again, when one exists: a resync of the product to the platform, a binding cleared, a set-top box
re-bound, a resume of a stop whose cause is gone.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from firstcall.customers.unified import CustomerView, ProductPlatforms
from firstcall.integrations.records import Allocation, NasPort


@dataclass(frozen=True)
class Fix:
    system: str
    operation: str
    target: str
    extra: tuple[str, ...] = ()  # arguments after the idempotency key

    @property
    def id(self) -> str:
        return f"{self.system}.{self.operation}:{self.target}"


@dataclass(frozen=True)
class Mismatch:
    product_type: str
    product_key: str
    platform: str
    field: str
    expected: Any
    actual: Any
    fix: Fix | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "product_type": self.product_type,
            "product_key": self.product_key,
            "platform": self.platform,
            "field": self.field,
            "expected": self.expected,
            "actual": self.actual,
        }


@dataclass
class Comparison:
    mismatches: list[Mismatch] = field(default_factory=list)
    # (product key, platform, reason): a platform that could not be read is not called consistent.
    unchecked: list[tuple[str, str, str]] = field(default_factory=list)
    checked: list[tuple[str, str]] = field(default_factory=list)

    def fixes(self) -> list[tuple[Fix, list[Mismatch]]]:
        """Each repair once, with every mismatch it addresses (one HLR resync fixes all flags)."""
        groups: dict[str, tuple[Fix, list[Mismatch]]] = {}
        for m in self.mismatches:
            if m.fix is not None:
                groups.setdefault(m.fix.id, (m.fix, []))[1].append(m)
        return list(groups.values())

    def fix(self, fix_id: str) -> tuple[Fix, list[Mismatch]] | None:
        return next((g for g in self.fixes() if g[0].id == fix_id), None)


MOBILE_STOPS_BOTH_WAYS = {
    "arrears_two_way",
    "user_stopped",
    "reported_lost",
    "fraud_shutdown",
    "identity_shutdown",
}
MOBILE_STATES = {"active", "arrears_one_way"} | MOBILE_STOPS_BOTH_WAYS
OCS_STATE = {
    "active": "active",
    "arrears_one_way": "one_way_stopped",
    "arrears_two_way": "two_way_stopped",
    "user_stopped": "user_stopped",
    "reported_lost": "reported_lost",
    "fraud_shutdown": "shutdown",
    "identity_shutdown": "shutdown",
}
AAA_STATE = {
    "active": "active",
    "arrears_stopped": "arrears",
    "expired": "expired",
    "user_stopped": "stopped",
    "removed": "cancelled",
}
IPTV_STATE = {
    "active": "active",
    "arrears_stopped": "arrears_stopped",
    "user_stopped": "stopped",
    "removed": "cancelled",
}
ARREARS_STOPS = {"arrears_one_way", "arrears_two_way", "arrears_stopped"}
PRESENT, MISSING = _("present"), _("missing")

Diff = tuple[str, Any, Any]


def _diffs(pairs: list[Diff]) -> Iterator[Diff]:
    return (d for d in pairs if d[1] != d[2])


def _mobile(entry: ProductPlatforms, customer: dict[str, Any]) -> Iterator[Mismatch]:
    product, key = entry.product, entry.key
    state = product.get("state")
    if state not in MOBILE_STATES:
        return
    features = product.get("features") or {}
    stopped = state != "active"
    if (hlr := entry.data("hlr.subscriber")) is not None:
        rules: list[Diff] = [
            ("barring_out", stopped, hlr.get("barring_out")),
            ("barring_in", state in MOBILE_STOPS_BOTH_WAYS, hlr.get("barring_in")),
            ("lock_data", stopped, hlr.get("lock_data")),
            ("data_provisioned", bool(features.get("data", True)), hlr.get("data_provisioned")),
            ("sms_mt_provisioned", bool(features.get("sms", True)), hlr.get("sms_mt_provisioned")),
            (
                "intl_roaming_allowed",
                bool(features.get("intl_roaming")),
                hlr.get("intl_roaming_allowed"),
            ),
            ("o_csi", customer.get("pay_mode") == "prepaid", hlr.get("o_csi")),
        ]
        fix = Fix("hlr", "resync", key)
        for name, expected, actual in _diffs(rules):
            yield Mismatch("mobile", key, "hlr", name, expected, actual, fix)
    if (ocs := entry.data("ocs.subscriber")) is not None:
        fix = Fix("ocs", "resync", key)
        rules = [
            ("state", OCS_STATE[state], ocs.get("state")),
            ("offer_id", product.get("offer_id"), ocs.get("offer_id")),
        ]
        for name, expected, actual in _diffs(rules):
            yield Mismatch("mobile", key, "ocs", name, expected, actual, fix)
    if (pcrf := entry.data("pcrf.policy")) is not None and not stopped:
        over = (pcrf.get("usage_percent") or 0) >= (pcrf.get("usage_threshold_percent") or 100)
        if bool(pcrf.get("throttled")) != over:
            fix = Fix("pcrf", "resync", key)
            yield Mismatch("mobile", key, "pcrf", "throttled", over, pcrf.get("throttled"), fix)


def _broadband(entry: ProductPlatforms, has_iptv: bool) -> Iterator[Mismatch]:
    product, key = entry.product, entry.key
    state = product.get("state")
    if state not in AAA_STATE:
        return
    resync = Fix("aaa", "resync", key)
    if entry.missing("aaa.user"):
        yield Mismatch("broadband", key, "aaa", "account", PRESENT, MISSING, resync)
    elif (aaa := entry.data("aaa.user")) is not None:
        rules: list[Diff] = [
            ("state", AAA_STATE[state], aaa.get("state")),
            ("access_type_limit", product.get("access_type"), aaa.get("access_type_limit")),
            ("down_mbps", product.get("down_mbps"), aaa.get("down_mbps")),
            ("up_mbps", product.get("up_mbps"), aaa.get("up_mbps")),
        ]
        for name, expected, actual in _diffs(rules):
            yield Mismatch("broadband", key, "aaa", name, expected, actual, resync)
        allocated = Allocation.of(entry.data("resources.allocation"))
        bound = NasPort.parse(aaa.get("bound_port")) if aaa.get("bound") else None
        if allocated is not None and bound is not None and not allocated.carries(bound):
            expected = f"vlanid={allocated.svlan};vlanid2={allocated.cvlan}"
            actual = f"vlanid={bound.vlan};vlanid2={bound.vlan2}"
            fix = Fix("aaa", "clear_binding", key)
            yield Mismatch("broadband", key, "aaa", "bound_port", expected, actual, fix)
    line = entry.data("nms.line")
    config = (line or {}).get("service_config") or {}
    if state == "active" and config:
        if config.get("internet_vlan_ok") is False:
            # The OLT's service port itself is wrong: no platform command fixes it from here.
            yield Mismatch("broadband", key, "nms", "internet_vlan_ok", True, False, None)
        if has_iptv and config.get("iptv_vlan_ok") is False:
            fix = Fix("nms", "resync", key)
            yield Mismatch("broadband", key, "nms", "iptv_vlan_ok", True, False, fix)


def _iptv(entry: ProductPlatforms) -> Iterator[Mismatch]:
    product, key = entry.product, entry.key
    state = product.get("state")
    if state not in IPTV_STATE:
        return
    resync = Fix("iptv", "resync", key)
    if entry.missing("iptv.account"):
        yield Mismatch("iptv", key, "iptv", "account", PRESENT, MISSING, resync)
        return
    if (iptv := entry.data("iptv.account")) is None:
        return
    if iptv.get("state") != IPTV_STATE[state]:
        yield Mismatch("iptv", key, "iptv", "state", IPTV_STATE[state], iptv.get("state"), resync)
    stb_mac = ((product.get("stb") or {}).get("mac") or "").lower()
    bound_mac = (iptv.get("bound_stb_mac") or "").lower()
    if stb_mac and bound_mac != stb_mac:
        fix = Fix("iptv", "rebind", key, (stb_mac,))
        yield Mismatch("iptv", key, "iptv", "bound_stb_mac", stb_mac, bound_mac or None, fix)


def _stopped_but_paid(
    entry: ProductPlatforms, billing: dict[str, Any] | None
) -> Iterator[Mismatch]:
    """Stopped for arrears in CRM although billing has nothing outstanding: the resume order
    never arrived. Resuming through provisioning lifts the stop on every platform."""
    state = entry.product.get("state")
    if billing is None or state not in ARREARS_STOPS:
        return
    if not billing.get("in_arrears") and not billing.get("arrears"):
        fix = Fix("provisioning", "resume", entry.key)
        yield Mismatch(entry.product_type, entry.key, "crm", "state", "active", state, fix)


# Which reads each platform's rules need: a failed read makes the platform "not checked".
RULE_READS = {
    "mobile": ["hlr.subscriber", "ocs.subscriber", "pcrf.policy"],
    "broadband": ["aaa.user", "resources.allocation", "nms.line"],
    "iptv": ["iptv.account"],
}


def compare(
    customer: dict[str, Any],
    platforms: list[ProductPlatforms],
    billing: dict[str, Any] | None,
) -> Comparison:
    result = Comparison()
    has_iptv = any(p.product_type == "iptv" for p in platforms)
    for entry in platforms:
        if not entry.details_read:
            result.unchecked.append((entry.key, "crm", "products"))
            continue
        for name in RULE_READS.get(entry.product_type, []):
            read = entry.reads.get(name)
            system = name.split(".")[0]
            if read is None:
                continue
            if read.answered:
                result.checked.append((entry.key, system))
            else:
                assert read.error is not None
                result.unchecked.append((entry.key, system, read.error.code))
        if entry.product_type == "mobile":
            result.mismatches.extend(_mobile(entry, customer))
        elif entry.product_type == "broadband":
            result.mismatches.extend(_broadband(entry, has_iptv))
        elif entry.product_type == "iptv":
            result.mismatches.extend(_iptv(entry))
        result.mismatches.extend(_stopped_but_paid(entry, billing))
    return result


@dataclass
class Observed:
    """What the agent's screen showed: the customer, the platforms and their comparison."""

    customer: dict[str, Any]
    platforms: list[ProductPlatforms]
    comparison: Comparison
    billing_error: str = ""  # set: stops for arrears could not be compared

    @property
    def billing_read(self) -> bool:
        return not self.billing_error

    def context(self) -> dict[str, Any]:
        """What the comparison panel shows of it."""
        return {
            "comparison": self.comparison,
            "fixes": self.comparison.fixes(),
            "billing_failed": not self.billing_read,
        }


async def observe(view: CustomerView) -> Observed | None:
    """The customer's platforms against CRM, read through the view (so through the call cache);
    None when CRM cannot be read. A read: the repair service and the checks both start here."""
    customer = await view.customer()
    if not customer.ok:
        return None
    platforms = await view.platforms()
    billing, _points = await view.account()
    comparison = compare(customer.data, platforms, billing.data if billing.ok else None)
    billing_error = "" if billing.ok else (billing.error.code if billing.error else "unavailable")
    return Observed(customer.data, platforms, comparison, billing_error)
