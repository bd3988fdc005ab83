"""The unified customer view: one service number, every system that knows something about it.

Reads start as soon as the key they need is known: the reads keyed by the typed number (CRM,
billing, points, provisioning, and the mobile platforms when the number is a mobile number) start
at once; the platforms of the customer's other products start the moment CRM names them; alarms
start when resources name the network elements. Every panel awaits only what it shows.
"""

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any

from firstcall.customers.gather import NOT_FOUND, Reads
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


def normalise_number(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw or "")


def is_service_number(number: str) -> bool:
    return bool(SERVICE_NUMBER.match(number))


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
        return result is not None and result.error is not None and result.error.code == NOT_FOUND

    @property
    def failed(self) -> list[Result]:
        return [
            r for r in self.reads.values() if not r.ok and r.error and r.error.code != NOT_FOUND
        ]


class CustomerView:
    def __init__(self, reads: Reads, *, speculate: bool = False) -> None:
        self.reads = reads
        self.number = reads.number
        self._platforms: asyncio.Task[list[ProductPlatforms]] | None = None
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
        is still being asked for the products' details; the details are attached after."""
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

    async def _read_platforms(self, entry: ProductPlatforms) -> None:
        key = entry.key
        names: list[str] = []
        tasks: list[asyncio.Task[Result]] = []
        for system, operation in PLATFORM_READS.get(entry.product_type, []):
            names.append(f"{system}.{operation}")
            tasks.append(self.reads.get(system, operation, key))
        # Work orders of the number the caller gave (the product the call is about).
        orders = self.reads.get("provisioning", "work_orders", key) if key == self.number else None
        alarms: asyncio.Future[Result] | None = None
        if entry.product_type == "broadband":
            alarms = asyncio.ensure_future(self._alarms(key))
        results = await asyncio.gather(*tasks)
        entry.reads = dict(zip(names, results, strict=True))
        if orders is not None:
            entry.orders = await orders
        if alarms is not None:
            entry.reads["alarms.active"] = await alarms

    async def _alarms(self, account: str) -> Result:
        allocation = await self.reads.get("resources", "allocation", account)
        if not allocation.ok:
            error = CallError("dependency", "resources could not name the network elements", True)
            return Result.failure("alarms", "active", error)
        ne_ids = ",".join(allocation.data.get("ne_ids") or [])
        return await self.reads.get("alarms", "active", ne_ids)

    async def everything(self) -> None:
        """Await every read of the view (for the benchmark and for warming the call cache)."""
        await asyncio.gather(self.customer(), self.account(), self.platforms())
