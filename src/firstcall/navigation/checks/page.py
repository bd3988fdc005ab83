"""A query step's page: what the step looked at, side by side (the navigation data comparison area).

`step_page(check, view)` runs the step's check through the view and gathers, from the answers of
that same request, what CRM says (the product record, what was ordered) against what the platform
holds, row by row, with the rows the step decides on marked, the check's facts and any system that
could not be read. Everything comes from the reads the check made and the reads the unified view
makes anyway (CRM, billing, points, work orders, each product's platforms), all through the call
cache: a page costs no back-end call a panel or the check would not make.

The rows of each check are built by its family module (`checks/<family>.py`), which registers
them with the check (`registry.shows`); this module holds the page's shape and the reads, and
imports no family.
"""

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from firstcall.customers.display import ERRORS, PRODUCT_TYPES, SYSTEM_LABELS
from firstcall.customers.gather import Reads, read_key
from firstcall.customers.unified import PLATFORM_READS, CustomerView
from firstcall.integrations.envelope import Result
from firstcall.integrations.records import Allocation, NasPort, moment
from firstcall.navigation.checks.reads import product_number
from firstcall.navigation.checks.registry import Check, CheckFailed
from firstcall.navigation.spec import Step

SAME = object()  # a row's platform value is expected to equal CRM's
# The kinds of step as the agent's screens name them.
STEP_KINDS = {
    "ask": _("Ask"),
    "guide": _("Guide"),
    "query": _("Query"),
    "decide": _("Decide"),
    "action": _("Action"),
    "end": _("End"),
}


@dataclass
class Row:
    """One thing the step compares: CRM's value (or what was ordered) and the platform's."""

    label: Any
    crm: Any
    platform: Any
    differs: bool = False
    facts: tuple[str, ...] = ()
    expects: Any = None  # what CRM's value means on the platform, when it is worded otherwise
    source: Any = ""  # the system the left value comes from, when it is not CRM
    decides: bool = False


@dataclass
class Table:
    """Records the step read (authentication requests, alarms, messages …), newest first."""

    title: Any
    columns: list[Any]
    rows: list[tuple[list[Any], bool]] = field(default_factory=list)  # (cells, flagged)


@dataclass
class Failure:
    system: str
    label: Any
    code: str
    text: Any


@dataclass
class Page:
    check: Check
    subject: str = ""  # the product (number) the step looked at
    detail: str = ""  # CRM's name of it: offer and status
    rows: list[Row] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    facts: list[tuple[str, Any, bool]] = field(default_factory=list)  # (fact, value, decides)
    failed: list[Failure] = field(default_factory=list)
    reads: list[tuple[Any, float, bool]] = field(default_factory=list)  # (read, ms, cached)
    values: dict[str, Any] = field(default_factory=dict)  # the check's facts, as it produced them
    refused: str = ""  # the error code when the check could not run (its system failed)

    @property
    def differences(self) -> int:
        return sum(1 for r in self.rows if r.differs)


def row(
    label: Any,
    crm: Any,
    platform: Any,
    *facts: str,
    expects: Any = SAME,
    source: Any = "",
    differs: bool | None = None,
) -> Row:
    """A row whose platform value differs when it is not what CRM's value expects (nothing to
    compare when either side is unknown)."""
    target = crm if expects is SAME else expects
    if differs is None:
        differs = target is not None and platform is not None and target != platform
    shown = None if expects is SAME or expects == crm else expects
    return Row(label, crm, platform, differs, facts, shown, source)


class Seen(Reads):
    """The request's reads as the check asks for them: each is the view's own task (nothing is
    read twice), noted so the page shows what the step looked at and which system failed."""

    def __init__(self, reads: Reads) -> None:  # delegates; holds no reads of its own
        self.inner = reads
        self.number = reads.number
        self.asked: dict[str, tuple[str, str, tuple[str, ...], asyncio.Task[Result]]] = {}

    def get(self, system: str, operation: str, *args: str) -> "asyncio.Task[Result]":
        task = self.inner.get(system, operation, *args)
        self.asked.setdefault(read_key(system, operation, args), (system, operation, args, task))
        return task


class Sight:
    """What a page's rows are built from: the check's answers and the unified view's."""

    def __init__(self, view: CustomerView, seen: Seen) -> None:
        self.view = view
        self.seen = seen

    def results(self, name: str) -> list[tuple[tuple[str, ...], Result]]:
        """The answers of a read the check made ("aaa.user"), with their arguments."""
        return [
            (args, task.result())
            for system, operation, args, task in self.seen.asked.values()
            if f"{system}.{operation}" == name and task.done() and not task.cancelled()
        ]

    def data(self, name: str) -> dict[str, Any] | None:
        """The answer of a read the check made: its data (the last, should it have been read
        with more than one key: a read on the typed number is made first, and read again with
        CRM's number when that differs); {} when the system has no such record; None when it
        was not made or failed."""
        found = self.results(name)
        for _args, result in reversed(found):
            if result.ok:
                return dict(result.data or {})
        return {} if any(r.missing for _a, r in found) else None

    async def platform(self, product: dict[str, Any], name: str) -> dict[str, Any] | None:
        """A platform's record of a product, as the unified view reads it for its panels."""
        kind, key = str(product.get("product_type") or ""), str(product.get("number") or "")
        if not key or name not in {f"{s}.{o}" for s, o in PLATFORM_READS.get(kind, [])}:
            return self.data(name)
        system, operation = name.split(".")
        result = await self.seen.get(system, operation, key)
        if result.ok:
            return dict(result.data or {})
        return {} if result.missing else None

    async def product(self, product_type: str) -> dict[str, Any]:
        """CRM's record of the customer's product of that type the call is about."""
        try:
            number = await product_number(self.view, product_type)
        except CheckFailed:
            return {}
        for p in await self.view.products():
            if p.get("number") == number:
                return dict(p)
        return {"product_type": product_type, "number": number} if number else {}

    async def customer(self) -> dict[str, Any]:
        result = await self.view.customer()
        return dict(result.data or {}) if result.ok else {}

    async def billing(self) -> dict[str, Any] | None:
        billing, _points = await self.view.account()
        return dict(billing.data or {}) if billing.ok else None

    async def work_orders(self) -> list[dict[str, Any]]:
        result = await self.seen.get("provisioning", "work_orders", self.view.number)
        return list((result.data or {}).get("work_orders") or []) if result.ok else []


def facts_used(step: Step | None, check: Check) -> set[str]:
    """The facts the step's branches decide on; every fact of the check when they name none."""
    conditions = " ".join(b.condition for b in step.branches) if step else ""
    used = {f for f in check.facts if re.search(rf"\b{re.escape(f)}\b", conditions)}
    return used or set(check.facts)


async def step_page(check: Check, view: CustomerView, used: set[str] | None = None) -> Page:
    """The step's page: the check run through the call cache, then its rows and records."""
    seen = Seen(view.reads)
    sight = Sight(CustomerView(seen), seen)
    page = Page(check)
    facts: dict[str, Any] = {}
    try:
        facts = await check.run(sight.view)
    except CheckFailed as failed:  # the system is named below, with every failed read
        page.refused = failed.result.error.code if failed.result.error else "error"
    page.values = facts
    build = check.page
    if build is not None:
        await build(sight, page)
    used = set(check.facts) if used is None else used
    for r in page.rows:
        r.decides = bool(used.intersection(r.facts))
    page.facts = [(name, facts.get(name), name in used) for name in check.facts] if facts else []
    page.failed, page.reads = _failures_and_reads(seen)
    return page


def _failures_and_reads(seen: Seen) -> tuple[list[Failure], list[tuple[Any, float, bool]]]:
    failed: dict[str, Failure] = {}
    reads = []
    for system, operation, _args, task in seen.asked.values():
        if not task.done() or task.cancelled():
            continue
        result = task.result()
        label = SYSTEM_LABELS.get(system, system)
        reads.append((f"{label} {operation}", result.latency_ms, bool(result.meta.get("cached"))))
        code = result.error.code if result.error else ""
        if result.failed and system not in failed:
            failed[system] = Failure(system, label, code, ERRORS.get(code, code))
    return list(failed.values()), reads


def state(record: dict[str, Any] | None) -> str | None:
    """A record's status as the system words it ("在用"); its code ("active") when it words none,
    which the page names in the interface language."""
    if not record:
        return None
    status, code = record.get("status"), record.get("state")
    return str(status or code or "") or None


def vlans(port: Any) -> str | None:
    """The VLAN pair of a NAS port: "slot=0;…;vlanid=1546;vlanid2=3983;" -> "1546/3983"."""
    parsed = NasPort.parse(port)
    return parsed.vlan_pair if parsed else None


def allocated(allocation: dict[str, Any] | None) -> str | None:
    """The VLAN pair resources allocated: "1546/3983"."""
    line = Allocation.of(allocation) if allocation else None
    return line.vlan_pair if line else None


RECORDS = 8  # records shown of a list, newest first


def when(value: Any) -> str:
    """A moment as an agent scans it: "2026-11-22T09:13:10+08:00" -> "11-22 09:13"."""
    text = str(value or "")
    if len(text) < 16:
        return text
    parsed = moment(text)
    return parsed.strftime("%m-%d %H:%M") if parsed else f"{text[5:10]} {text[11:16]}"


def focus(page: Page, rows: list[Row]) -> None:
    """The rows about this check's facts, and the rows that only give context."""
    page.rows += [r for r in rows if not r.facts or set(r.facts) & set(page.check.facts)]


def describe(page: Page, product: dict[str, Any]) -> None:
    page.subject = str(product.get("number") or "")
    parts = [product.get("offer_name"), state(product)]
    page.detail = " · ".join(str(p) for p in parts if p)


# CRM's product record as function navigation's product info lists it: (label, field).
PRODUCT_FIELDS: list[tuple[Any, str]] = [
    (_("Offer"), "offer_name"),
    (_("Status"), "status"),
    (_("Rate"), "rate"),
    (_("Access type"), "access_type"),
    (_("Billing type"), "billing_type"),
    (_("Package"), "package"),
    (_("Effective from"), "effective_date"),
    (_("Expiry date"), "expire_date"),
    (_("Contract"), "contract"),
    (_("Channel"), "channel"),
    (_("Number location"), "number_location"),
    (_("Install address"), "install_address"),
    (_("Access"), "access"),
    (_("Bound broadband"), "bound_broadband"),
    (_("IMSI"), "imsi"),
    (_("ICCID"), "iccid"),
    (_("Product ID"), "product_id"),
]
TERMINALS = {"ont": _("ONT"), "stb": _("Set-top box")}


def product_records(products: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each product with what CRM records of it: its fields, ordered features and add-ons, and
    its terminal (ONT, set-top box)."""
    records = []
    for p in products:
        terminals = [
            (label, " · ".join(str(v) for v in (p.get(key) or {}).values() if v))
            for key, label in TERMINALS.items()
            if p.get(key)
        ]
        records.append(
            {
                "product": p,
                "type": PRODUCT_TYPES.get(str(p.get("product_type")), p.get("product_type")),
                "fields": [(label, p[key]) for label, key in PRODUCT_FIELDS if p.get(key)],
                "features": sorted((p.get("features") or {}).items()),
                "add_ons": p.get("add_ons") or [],
                "terminals": terminals,
            }
        )
    return records
