"""Checks: what a query step reads and the facts it yields for the flow's conditions.

A check reads through the unified view (`CustomerView`), so its answers come from the call cache
when a panel already asked, and go into it otherwise. Each fact has a declared type; a flow's
conditions are parsed against these types when the flow is published, so a condition that names
a fact no check yields, or compares it with the wrong type, cannot be published.

A check reads its platform with the number of the customer's product the call is about, which
CRM names. It does not wait for CRM to start: `for_product` starts the platform read (and what
chains on it, such as the alarms of the elements resources name) with the typed number at once
when that may be the product's number, and CRM's answer then only confirms it; when CRM names
another number the read is made again with that one. The answer is always the one of the number
CRM names; only the time changes.
"""

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import rule_engine
from django.utils import timezone

from firstcall.core import clock
from firstcall.customers.unified import CustomerView, detach
from firstcall.integrations.envelope import Result

T = rule_engine.DataType
VLAN = re.compile(r"vlanid=(\d+);vlanid2=(\d+)")


class CheckFailed(Exception):
    """The system behind a check could not be read; the step cannot decide on its own."""

    def __init__(self, result: Result) -> None:
        self.result = result
        code = result.error.code if result.error else "error"
        super().__init__(f"{result.system}.{result.operation}: {code}")


@dataclass(frozen=True)
class Check:
    id: str
    system: str
    facts: dict[str, Any]  # fact name -> rule_engine.DataType
    run: Callable[[CustomerView], Awaitable[dict[str, Any]]]
    template: str = ""


CHECKS: dict[str, Check] = {}
# Facts that do not come from a check: the caller's answer on ask/guide/decide steps, and the
# outcome of the last action step.
BUILTIN_FACTS: dict[str, Any] = {"answer": T.STRING, "action_ok": T.BOOLEAN}


def check(
    id: str, system: str, template: str = "", **facts: Any
) -> Callable[[Callable[[CustomerView], Awaitable[dict[str, Any]]]], Callable[..., Any]]:
    def register(fn: Callable[[CustomerView], Awaitable[dict[str, Any]]]) -> Callable[..., Any]:
        CHECKS[id] = Check(id, system, facts, fn, template or f"navigation/checks/{system}.html")
        return fn

    return register


def fact_types() -> dict[str, Any]:
    types = dict(BUILTIN_FACTS)
    for c in CHECKS.values():
        types.update(c.facts)
    return types


RECENT = timedelta(hours=24)


def _missing(result: Result) -> bool:
    return result.error is not None and result.error.code == "not_found"


def _ok(result: Result) -> dict[str, Any]:
    if not result.ok:
        raise CheckFailed(result)
    data: dict[str, Any] = result.data
    return data


async def product_number(view: CustomerView, product_type: str) -> str:
    """The number of the customer's product of that type the call is about: the typed number
    when it is one, else the first. Taken from CRM's list of service numbers (one request), so a
    check reads its platform while CRM's product details are still on their way."""
    customer = await view.customer()
    if not customer.ok:
        raise CheckFailed(customer)
    numbers = [
        str(s.get("number"))
        for s in customer.data.get("service_numbers") or []
        if s.get("product_type") == product_type
    ]
    if view.number in numbers:
        return view.number
    return numbers[0] if numbers else ""


async def broadband_account(view: CustomerView) -> str:
    return await product_number(view, "broadband")


async def for_product[R](
    view: CustomerView, product_type: str, read: Callable[[str], Awaitable[R]]
) -> R:
    """`read(number)` for the number of the customer's product of that type (`product_number`).

    When the typed number may be that number, `read` starts with it at once, alongside CRM, and
    runs on while CRM is asked (a read that chains on, such as resources then the alarms of the
    elements they name, too). CRM's answer is awaited first, so a CRM failure fails the check as
    before; when CRM names the typed number the early read is the answer, otherwise `read` runs
    again with CRM's number and the early one is wasted."""
    early = view.ahead(product_type, read)
    number = await product_number(view, product_type)
    if early is not None and number == view.number:
        return await early
    return await read(number)


def read_of(view: CustomerView, system: str, operation: str) -> Callable[[str], Awaitable[Result]]:
    """The read of a system keyed by a product's number, for `for_product`."""

    def read(number: str) -> Awaitable[Result]:
        return view.reads.get(system, operation, number)

    return read


async def record_of(
    view: CustomerView, number: str, system: str, operation: str, *args: str
) -> dict[str, Any]:
    """A system's record of a product's number; empty when there is no number or the system has
    no such record, CheckFailed when it cannot be read."""
    if not number:
        return {}
    result = await view.reads.get(system, operation, number, *args)
    return {} if _missing(result) else _ok(result)


def billing_ahead(view: CustomerView, operation: str, *accounts: Awaitable[Result]) -> None:
    """Start billing's per-account read (`bills`, `credits`) as soon as an account id is known:
    from billing's account of the number (`accounts`, the one the check uses) or, often sooner,
    from CRM's customer record, which names the customer's account (usually the same). The check
    asks for the read of the account billing names; when it is CRM's, it is under way."""

    async def start(source: Awaitable[Result]) -> None:
        found = await source
        acct_id = str((found.data or {}).get("acct_id") or "") if found.ok else ""
        if acct_id:
            view.reads.get("billing", operation, acct_id)

    for source in (view.customer(), *accounts):
        detach(start(source))


async def product_details(view: CustomerView, product_type: str) -> dict[str, Any]:
    """CRM's details of the product `product_number` names; {} when the customer has none."""
    number = await product_number(view, product_type)
    details = await view.products_result()
    if not details.ok:
        raise CheckFailed(details)
    for p in details.data.get("products") or []:
        if p.get("number") == number:
            return dict(p)
    return {}


async def _broadband_product(view: CustomerView) -> dict[str, Any]:
    return await product_details(view, "broadband")


@check("crm.broadband", "crm", bb_state=T.STRING, bb_access_type=T.STRING, has_broadband=T.BOOLEAN)
async def crm_broadband(view: CustomerView) -> dict[str, Any]:
    product = await _broadband_product(view)
    return {
        "bb_state": product.get("state") or "",
        "bb_access_type": product.get("access_type") or "",
        "has_broadband": bool(product),
    }


@check("aaa.user", "aaa", aaa_exists=T.BOOLEAN, aaa_state=T.STRING, aaa_locked=T.BOOLEAN)
async def aaa_user(view: CustomerView) -> dict[str, Any]:
    result = await for_product(view, "broadband", read_of(view, "aaa", "user"))
    if result.error is not None and result.error.code == "not_found":
        return {"aaa_exists": False, "aaa_state": "", "aaa_locked": False}
    user = _ok(result)
    return {
        "aaa_exists": True,
        "aaa_state": user.get("state") or "",
        "aaa_locked": bool(user.get("locked")),
    }


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
    result = await for_product(view, "broadband", read_of(view, "aaa", "auth_log"))
    records = [] if _missing(result) else _ok(result).get("records") or []
    since = clock.now() - RECENT
    recent = [r for r in records if (t := _time(r.get("time"))) is not None and t >= since]
    last = recent[0] if recent else {}
    return {
        "auth_any": bool(recent),
        "auth_last_accepted": bool(last.get("accepted")),
        "auth_reason": "" if last.get("accepted") else str(last.get("reason") or ""),
        "auth_any_accept": any(r.get("accepted") for r in recent),
    }


@check("resources.binding", "resources", res_matches_actual=T.BOOLEAN)
async def resources_binding(view: CustomerView) -> dict[str, Any]:
    """Whether the port the customer actually dials from (the last authentication request) is the
    port resources allocated."""
    allocation, log = await asyncio.gather(
        for_product(view, "broadband", read_of(view, "resources", "allocation")),
        for_product(view, "broadband", read_of(view, "aaa", "auth_log")),
    )
    allocated = _ok(allocation)
    records = _ok(log).get("records") or []
    actual = VLAN.search(str(records[0].get("port") or "")) if records else None
    expected = (str(allocated.get("svlan")), str(allocated.get("cvlan")))
    return {"res_matches_actual": actual is not None and actual.groups() == expected}


def _time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


@check(
    "aaa.sessions",
    "aaa",
    session_count=T.FLOAT,
    session_stale=T.BOOLEAN,
    session_foreign=T.BOOLEAN,
)
async def aaa_sessions(view: CustomerView) -> dict[str, Any]:
    """Online sessions: stale when accounting stopped for more than three interim intervals,
    foreign when the session comes through another BRAS or VLAN than the customer's line."""
    sessions, allocation, user = await asyncio.gather(
        for_product(view, "broadband", read_of(view, "aaa", "sessions")),
        for_product(view, "broadband", read_of(view, "resources", "allocation")),
        for_product(view, "broadband", read_of(view, "aaa", "user")),
    )
    online = [] if _missing(sessions) else _ok(sessions).get("sessions") or []
    line = _ok(allocation)
    bras = (line.get("bras") or {}).get("ne_id")
    vlans = (str(line.get("svlan")), str(line.get("cvlan")))
    now = clock.now()
    stale = False
    foreign = False
    for s in online:
        updated = _time(s.get("last_update_at"))
        interval = timedelta(seconds=int(s.get("interim_interval_s") or 900))
        if updated is not None and now - updated > 3 * interval:
            stale = True
        port = VLAN.search(str(s.get("port") or ""))
        if (bras and s.get("nas_id") and s.get("nas_id") != bras) or (
            port and port.groups() != vlans
        ):
            foreign = True
    if not _missing(user):
        _ok(user)  # read for the step's page, which shows the binding beside the sessions
    return {"session_count": float(len(online)), "session_stale": stale, "session_foreign": foreign}


@check("ocs.bb_book", "ocs", bb_book_ok=T.BOOLEAN)
async def ocs_broadband_book(view: CustomerView) -> dict[str, Any]:
    result = await for_product(view, "broadband", read_of(view, "ocs", "subscriber"))
    if result.error is not None and result.error.code == "not_found":
        return {"bb_book_ok": True}  # not a prepaid account: nothing to run out
    books = _ok(result).get("books") or []
    today = timezone.localdate(clock.now()).isoformat()
    usable = [
        b
        for b in books
        if (b.get("balance") or 0) > 0 and (b.get("expire_date") or "9999") >= today
    ]
    return {"bb_book_ok": bool(usable)}


@check("alarms.broadband", "alarms", alarm_count=T.FLOAT)
async def broadband_alarms(view: CustomerView) -> dict[str, Any]:
    async def line_alarms(account: str) -> dict[str, Any]:
        allocation = _ok(await view.reads.get("resources", "allocation", account))
        ne_ids = ",".join(allocation.get("ne_ids") or [])
        alarms = _ok(await view.reads.get("alarms", "active", ne_ids))
        return {"alarm_count": float(alarms.get("total") or len(alarms.get("alarms") or []))}

    return await for_product(view, "broadband", line_alarms)


from firstcall.navigation import facts_access  # noqa: E402,F401,I001
from firstcall.navigation import facts_broadband  # noqa: E402,F401
from firstcall.navigation import facts_iptv  # noqa: E402,F401
from firstcall.navigation import facts_mobile  # noqa: E402,F401
from firstcall.navigation import facts_orders  # noqa: E402,F401
from firstcall.navigation import facts_points  # noqa: E402,F401
from firstcall.navigation import facts_sms  # noqa: E402,F401
from firstcall.navigation import facts_vas  # noqa: E402,F401
