"""How a check reads: the number of the customer's product the call is about, and that
product's platform records, through the unified view and so through the call cache.

A check reads its platform with the number of the customer's product the call is about, which
CRM names. It does not wait for CRM to start: `for_product` starts the platform read (and what
chains on it, such as the alarms of the elements resources name) with the typed number at once
when that may be the product's number, and CRM's answer then only confirms it; when CRM names
another number the read is made again with that one. The answer is always the one of the number
CRM names; only the time changes.
"""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from firstcall.customers.unified import CustomerView, detach
from firstcall.integrations.envelope import Result
from firstcall.navigation.checks.registry import CheckFailed

RECENT = timedelta(hours=24)


def ok(result: Result) -> dict[str, Any]:
    """The data of an answer; CheckFailed when the system could not be read."""
    if not result.ok:
        raise CheckFailed(result)
    data: dict[str, Any] = result.data
    return data


def found(result: Result) -> dict[str, Any]:
    """The data of an answer, {} when the system has no such record; CheckFailed otherwise."""
    return {} if result.missing else ok(result)


def alarm_count(active: dict[str, Any]) -> float:
    return float(active.get("total") or len(active.get("alarms") or []))


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
    return found(await view.reads.get(system, operation, number, *args))


async def product_read(
    view: CustomerView, product_type: str, system: str, operation: str, *args: str
) -> dict[str, Any]:
    """A platform's record of the call's product of that type (`record_of` through
    `for_product`): empty when there is no such product or record, CheckFailed when the platform
    cannot be read."""
    return await for_product(
        view, product_type, lambda number: record_of(view, number, system, operation, *args)
    )


def billing_ahead(view: CustomerView, operation: str, *accounts: Awaitable[Result]) -> None:
    """Start billing's per-account read (`bills`, `credits`) as soon as an account id is known:
    from billing's account of the number (`accounts`, the one the check uses) or, often sooner,
    from CRM's customer record, which names the customer's account (usually the same). The check
    asks for the read of the account billing names; when it is CRM's, it is under way."""

    async def start(source: Awaitable[Result]) -> None:
        answer = await source
        acct_id = str((answer.data or {}).get("acct_id") or "") if answer.ok else ""
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


# The IPTV service rides on a broadband line: its checks read that line.


async def iptv_product(view: CustomerView) -> dict[str, Any]:
    """The IPTV product the call is about, with CRM's details (state, set-top box, binding)."""
    return await product_details(view, "iptv")


async def iptv_broadband(view: CustomerView) -> str:
    """The broadband account the IPTV service is bound to (CRM), else the customer's line."""
    bound = (await iptv_product(view)).get("bound_broadband")
    return str(bound) if bound else await broadband_account(view)


async def for_iptv_line[R](view: CustomerView, read: Callable[[str], Awaitable[R]]) -> R:
    """`read(account)` for the broadband line the IPTV service rides on (`iptv_broadband`).

    CRM's list of service numbers names the customer's line in one request; the binding comes
    with the product details, a second. The read starts on the listed line meanwhile, and is
    the answer when the binding names that line (as it does unless the customer has several)."""
    line = await broadband_account(view)
    early = detach(read(line))
    account = await iptv_broadband(view)
    return await (early if account == line else read(account))


async def iptv_platform(view: CustomerView) -> dict[str, Any]:
    """The IPTV platform's account; empty when the platform has no such account."""
    return await product_read(view, "iptv", "iptv", "account")
