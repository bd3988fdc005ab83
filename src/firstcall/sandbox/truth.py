"""Ground truth of a customer (sandbox-only): its conditions and the expected-vs-actual facts.

Facts come from building the platforms twice with the same clock, once as CRM implies (no
deviations) and once as they are, and comparing every scalar field; standing alarms on the
customer's NEs are facts too (expected: none).
"""

import dataclasses
import re
from datetime import date, datetime
from typing import Any

from firstcall.sandbox.conditions import BY_NAME
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.model import Customer
from firstcall.sandbox.platforms.homing import ne_alarms
from firstcall.sandbox.platforms.state import Platforms

PLATFORM_FIELDS = (
    "crm",
    "billing",
    "ocs",
    "hlr",
    "pcrf",
    "smsc",
    "vas",
    "aaa",
    "nms",
    "res",
    "iptv",
    "points",
    "sps",
)
ID_FIELDS = ("order_id", "wo_id", "sub_id", "session_id", "msg_id", "item_id", "cycle")
# Records without an id (auth log, ONU events ...) are told apart by their time.
TIME_FIELDS = ("time", "submitted", "placed", "started")
ITEM = re.compile(r"^(.*\])\.[^\[\]]+$")


def flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            flatten(getattr(value, f.name), f"{prefix}.{f.name}", out)
    elif isinstance(value, dict):
        for key, item in value.items():
            flatten(item, f"{prefix}.{key}", out)
    elif isinstance(value, list | tuple):
        for n, item in enumerate(value):
            flatten(item, f"{prefix}[{_item_key(item, n)}]", out)
    elif isinstance(value, datetime | date):
        out[prefix] = value.isoformat()
    else:
        out[prefix] = value


def _item_key(item: Any, n: int) -> str:
    for name in (*ID_FIELDS, *TIME_FIELDS):
        key = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        # A datetime item has a `time` method; only plain values name an item.
        if key is not None and not callable(key):
            return key.isoformat() if isinstance(key, datetime) else str(key)
    if isinstance(item, tuple) and item and isinstance(item[0], datetime):
        return item[0].isoformat()
    return str(n)


def facts(expected: Platforms, actual: Platforms) -> list[dict[str, Any]]:
    """Every field that differs; a record present on one side only is one fact, whole."""
    found: list[dict[str, Any]] = []
    for name in PLATFORM_FIELDS:
        want: dict[str, Any] = {}
        have: dict[str, Any] = {}
        flatten(getattr(expected, name), "", want)
        flatten(getattr(actual, name), "", have)
        changed = [p for p in sorted(set(want) | set(have)) if want.get(p) != have.get(p)]
        records: dict[str, dict[str, dict[str, Any]]] = {}
        for path in changed:
            match = ITEM.match(path)
            item = match.group(1) if match else None
            if item and (
                not any(p.startswith(item + ".") for p in want)
                or not any(p.startswith(item + ".") for p in have)
            ):
                side = records.setdefault(item, {"expected": {}, "actual": {}})
                field = path[len(item) + 1 :]
                if path in want:
                    side["expected"][field] = want[path]
                if path in have:
                    side["actual"][field] = have[path]
                continue
            found.append(
                {
                    "platform": name.upper(),
                    "field": path.lstrip(".") or name,
                    "expected": want.get(path),
                    "actual": have.get(path),
                }
            )
        for item, sides in records.items():
            found.append(
                {
                    "platform": name.upper(),
                    "field": item.lstrip("."),
                    "expected": sides["expected"] or None,
                    "actual": sides["actual"] or None,
                }
            )
    return found


def ground_truth(sb: Sandbox, c: Customer) -> dict[str, Any]:
    now = sb.now()
    active, resolved = sb.conditions(c.index)
    m = sb.store.of(c.index)
    actual = sb.platforms(c, now=now)
    expected = sb.platforms(c, expected=True, now=now)
    alarms = ne_alarms(actual, sb.config.epoch)
    found = facts(expected, actual) + [
        {"platform": "ALARM", "field": a["ne_id"], "expected": None, "actual": a["alarm_name"]}
        for a in alarms
    ]
    prof = c.profile
    return {
        "index": c.index,
        "keys": c.keys,
        "service_number": c.service_number,
        "city": prof.city.code,
        "products": {
            "mobile": prof.mobile,
            "prepaid": prof.prepaid,
            "broadband": prof.access or None,
            "prepaid_broadband": prof.bb_prepaid,
            "fixed": prof.fixed,
            "iptv": prof.iptv,
            "vas": prof.vas,
            "intl_roaming": prof.roaming,
        },
        "healthy": not active,
        "conditions": active,
        "resolved": resolved,
        "generated": list(sb.generated_conditions(c.index)),
        "forced": m is not None and m.forced is not None,
        "details": [
            {
                "name": n,
                "summary": BY_NAME[n].summary,
                "caller_says": BY_NAME[n].caller,
                "branches": list(BY_NAME[n].branches),
                "fixed_by": list(BY_NAME[n].fixed_by),
            }
            for n in active
        ],
        "facts": found,
        "state": {
            "products": {k: pr.status for k, pr in actual.crm.products.items()},
            "arrears": actual.billing.arrears,
            "balance": actual.billing.balance,
            "acct_status": actual.billing.acct_status,
        },
        "network": dataclasses.asdict(actual.refs),
        "secrets": {"broadband_password": actual.aaa.password if actual.aaa else None},
    }
