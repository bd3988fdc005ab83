"""The unified customer view: one service number, every system that knows something about it.

Reads start as soon as the key they need is known: the reads keyed by the typed number (CRM,
billing, points, provisioning, and the mobile platforms when the number is a mobile number) start
at once; the platforms of the customer's other products start the moment CRM names them; alarms
start when resources name the network elements. Every panel awaits only what it shows.

The typed number is usually itself the key of the product the call is about (the caller gives
the broadband account or the mobile number), so the reads of the product types it may be a key of
start with it at once, alongside CRM, as a guess (`ahead`): CRM's list of the customer's service
numbers confirms the guess, and the reads are then already under way; when CRM names another
number, that product is read with it and the early reads are wasted. A guess never answers in
place of CRM: it only starts the very reads the number CRM names would need.
"""

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from firstcall.customers.gather import Reads
from firstcall.integrations.envelope import CallError, Result

MOBILE_NUMBER = re.compile(r"^1\d{10}$")
SERVICE_NUMBER = re.compile(r"^[0-9A-Za-z]{5,32}$")

# (system, operation, label) read for each product type, keyed by the product's number.
PLATFORM_READS: dict[str, list[tuple[str, str]]] = {
    "mobile": [
        ("hlr", "subscriber"),
        ("ocs", "subscriber"),
        ("pcrf", "policy"),
        ("smsc", "blocking"),
        ("vas", "subscriptions"),
    ],
    "broadband": [
        ("aaa", "user"),
        ("aaa", "sessions"),
        ("nms", "line"),
        ("resources", "allocation"),
    ],
    "iptv": [("iptv", "account")],
}


# The products whose platforms the view starts reading with the typed number before CRM answers:
# callers give their mobile number or their broadband account. An IPTV account is seldom what
# they give (the service rides on the broadband line), so guessing it would mostly be a wasted
# read; its platform is read once CRM names it.
GUESSED_PLATFORMS = ("mobile", "broadband")


def normalise_number(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw or "")


def is_service_number(number: str) -> bool:
    return bool(SERVICE_NUMBER.match(number))


def may_be_key(number: str, product_type: str) -> bool:
    """Whether a typed number can be the key of a product of that type: a mobile number (1 and
    ten digits) only of a mobile product; any other service number of any other product
    (broadband and IPTV accounts and fixed numbers have no shape that tells them apart). Only
    the grounds for a guess: CRM says which product a number is."""
    mobile = bool(MOBILE_NUMBER.match(number))
    return mobile if product_type == "mobile" else not mobile and is_service_number(number)


def detach[T](work: Awaitable[T]) -> "asyncio.Future[T]":
    """Run `work` on its own. Its failure, when nobody awaits it (a guess CRM did not confirm),
    is retrieved here rather than reported by the event loop."""
    task = asyncio.ensure_future(work)
    task.add_done_callback(_retrieve)
    return task


def _retrieve(task: "asyncio.Future[Any]") -> None:
    if not task.cancelled():
        task.exception()


@dataclass
class ProductPlatforms:
    """One product and what each platform has for it."""

    product: dict[str, Any]
    reads: dict[str, Result] = field(default_factory=dict)  # "hlr.subscriber" -> result
    orders: Result | None = None
    details_read: bool = True  # False: CRM's product details could not be read

    @property
    def product_type(self) -> str:
        return str(self.product.get("product_type", ""))

    @property
    def key(self) -> str:
        return str(self.product.get("number", ""))

    def data(self, name: str) -> dict[str, Any] | None:
        result = self.reads.get(name)
        return result.data if result is not None and result.ok else None

    def missing(self, name: str) -> bool:
        result = self.reads.get(name)
        return result is not None and result.missing

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.reads.values() if r.failed]


class CustomerView:
    def __init__(self, reads: Reads, *, speculate: bool = False) -> None:
        self.reads = reads
        self.number = reads.number
        self._platforms: asyncio.Task[list[ProductPlatforms]] | None = None
        self._alarms_of: dict[str, asyncio.Future[Result]] = {}
        self._ahead: list[asyncio.Future[Any]] = []  # reads started on a guess (see `ahead`)
        if speculate:
            self.start()

    def start(self) -> None:
        """Start every read keyed by the typed number at once, before CRM has answered."""
        n = self.number
        self.reads.get("crm", "find", n)
        self.reads.get("billing", "account", n)
        self.reads.get("points", "member", n)
        self.reads.get("provisioning", "work_orders", n)
        if MOBILE_NUMBER.match(n):
            for system, operation in PLATFORM_READS["mobile"]:
                self.reads.get(system, operation, n)

    def may_be(self, product_type: str) -> bool:
        """Whether the typed number may be the key of the customer's product of that type."""
        return may_be_key(self.number, product_type)

    def ahead[T](
        self, product_type: str, read: Callable[[str], Awaitable[T]]
    ) -> "asyncio.Future[T] | None":
        """Start `read(typed number)` now, before CRM has answered, when the typed number may be
        the key of the customer's product of that type; None when it cannot be. The caller awaits
        the early read only once CRM names the typed number as that product's (else it reads
        again with CRM's number), so the answer is the one the reads in order would give."""
        if not self.may_be(product_type):
            return None
        early = detach(read(self.number))
        self._ahead.append(early)
        return early

    async def customer(self) -> Result:
        """CRM's customer, with `service_numbers` (each product's type and number)."""
        return await self.reads.get("crm", "find", self.number)

    async def products_result(self) -> Result:
        customer = await self.customer()
        if not customer.ok:
            return customer
        return await self.reads.get("crm", "products", str(customer.data.get("cust_id", "")))

    async def products(self) -> list[dict[str, Any]]:
        result = await self.products_result()
        return list(result.data.get("products") or []) if result.ok else []

    async def account(self) -> tuple[Result, Result]:
        billing, points = await asyncio.gather(
            self.reads.get("billing", "account", self.number),
            self.reads.get("points", "member", self.number),
        )
        return billing, points

    async def platforms(self) -> list[ProductPlatforms]:
        if self._platforms is None:
            self._platforms = asyncio.ensure_future(self._gather_platforms())
        return await self._platforms

    async def _gather_platforms(self) -> list[ProductPlatforms]:
        """Each product's platform reads start from CRM's list of service numbers, while CRM
        is still being asked for the products' details; the details are attached after. The
        platforms of the product types the typed number may be the key of start at once, before
        CRM answers: the product whose number it is then finds its reads under way."""
        for product_type in GUESSED_PLATFORMS:
            self.ahead(product_type, self._guess_platforms(product_type))
        customer = await self.customer()
        if not customer.ok:
            return []
        products = asyncio.ensure_future(self.products_result())
        entries = [
            ProductPlatforms({"product_type": s.get("product_type"), "number": s.get("number")})
            for s in customer.data.get("service_numbers") or []
        ]
        await asyncio.gather(*(self._read_platforms(entry) for entry in entries))
        details = await products
        by_number = {p.get("number"): p for p in (details.data or {}).get("products") or []}
        for entry in entries:
            entry.product = by_number.get(entry.key, entry.product)
            entry.details_read = details.ok
        return entries

    def _guess_platforms(self, product_type: str) -> Callable[[str], Awaitable[list[Result]]]:
        def read(key: str) -> Awaitable[list[Result]]:
            started = self._platform_reads(product_type, key)
            orders = self.reads.get("provisioning", "work_orders", key)
            return asyncio.gather(*started.values(), orders)

        return read

    def _platform_reads(self, product_type: str, key: str) -> dict[str, "asyncio.Future[Result]"]:
        """Start (or join) the reads of one product's platforms, by name ("hlr.subscriber");
        a broadband line's alarms follow its resources."""
        reads: dict[str, asyncio.Future[Result]] = {
            f"{system}.{operation}": self.reads.get(system, operation, key)
            for system, operation in PLATFORM_READS.get(product_type, [])
        }
        if product_type == "broadband":
            alarms = self._alarms_of.get(key)
            if alarms is None:
                alarms = self._alarms_of[key] = detach(self._alarms(key))
            reads["alarms.active"] = alarms
        return reads

    async def _read_platforms(self, entry: ProductPlatforms) -> None:
        key = entry.key
        reads = self._platform_reads(entry.product_type, key)
        # Work orders of the number the caller gave (the product the call is about).
        orders = self.reads.get("provisioning", "work_orders", key) if key == self.number else None
        results = await asyncio.gather(*reads.values())
        entry.reads = dict(zip(reads, results, strict=True))
        if orders is not None:
            entry.orders = await orders

    async def _alarms(self, account: str) -> Result:
        allocation = await self.reads.get("resources", "allocation", account)
        if not allocation.ok:
            error = CallError("dependency", "resources could not name the network elements", True)
            return Result.failure("alarms", "active", error)
        ne_ids = ",".join(allocation.data.get("ne_ids") or [])
        return await self.reads.get("alarms", "active", ne_ids)

    async def everything(self) -> None:
        """Await every read of the view (for the benchmark and for warming the call cache),
        the early reads of guesses CRM did not confirm included."""
        await asyncio.gather(self.customer(), self.account(), self.platforms())
        await asyncio.gather(*self._ahead, return_exceptions=True)
