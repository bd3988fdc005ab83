"""Checks: what a query step reads and the facts it yields for the flow's conditions.

A check reads through the unified view (`CustomerView`), so its answers come from the call cache
when a panel already asked, and go into it otherwise. Each fact has a declared type; a flow's
conditions are parsed against these types when the flow is published, so a condition that names
a fact no check yields, or compares it with the wrong type, cannot be published.
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
from firstcall.customers.unified import CustomerView
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
    account = await broadband_account(view)
    result = await view.reads.get("aaa", "user", account)
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
    account = await broadband_account(view)
    result = await view.reads.get("aaa", "auth_log", account)
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
    account = await broadband_account(view)
    allocation, log = await asyncio.gather(
        view.reads.get("resources", "allocation", account),
        view.reads.get("aaa", "auth_log", account),
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
    account = await broadband_account(view)
    sessions, allocation, user = await asyncio.gather(
        view.reads.get("aaa", "sessions", account),
        view.reads.get("resources", "allocation", account),
        view.reads.get("aaa", "user", account),
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
    account = await broadband_account(view)
    result = await view.reads.get("ocs", "subscriber", account)
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
    account = await broadband_account(view)
    allocation = _ok(await view.reads.get("resources", "allocation", account))
    ne_ids = ",".join(allocation.get("ne_ids") or [])
    alarms = _ok(await view.reads.get("alarms", "active", ne_ids))
    return {"alarm_count": float(alarms.get("total") or len(alarms.get("alarms") or []))}


from firstcall.navigation import facts_access  # noqa: E402,F401,I001
from firstcall.navigation import facts_broadband  # noqa: E402,F401
from firstcall.navigation import facts_iptv  # noqa: E402,F401
from firstcall.navigation import facts_mobile  # noqa: E402,F401
from firstcall.navigation import facts_orders  # noqa: E402,F401
from firstcall.navigation import facts_points  # noqa: E402,F401
from firstcall.navigation import facts_sms  # noqa: E402,F401
from firstcall.navigation import facts_vas  # noqa: E402,F401
