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
        self.reads.get("crm", "customer_by_number", n)
        self.reads.get("billing", "account", n)
        self.reads.get("points", "member", n)
        self.reads.get("provisioning", "work_orders", n)
        if MOBILE_NUMBER.match(n):
            for system, operation in PLATFORM_READS["mobile"]:
                self.reads.get(system, operation, n)

    async def customer(self) -> Result:
        return await self.reads.get("crm", "customer_by_number", self.number)

    async def products(self) -> list[dict[str, Any]]:
        customer = await self.customer()
        if not customer.ok:
            return []
        return list(customer.data.get("products") or [])

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
        products = await self.products()
        return list(await asyncio.gather(*(self._product(p) for p in products)))

    async def _product(self, product: dict[str, Any]) -> ProductPlatforms:
        entry = ProductPlatforms(product)
        key = entry.key
        names: list[str] = []
        tasks: list[asyncio.Task[Result]] = []
        for system, operation in PLATFORM_READS.get(entry.product_type, []):
            names.append(f"{system}.{operation}")
            tasks.append(self.reads.get(system, operation, key))
        orders = self.reads.get("provisioning", "work_orders", key)
        alarms: asyncio.Task[Result] | None = None
        if entry.product_type == "broadband":
            alarms = asyncio.ensure_future(self._alarms(key))
        results = await asyncio.gather(*tasks)
        entry.reads = dict(zip(names, results, strict=True))
        entry.orders = await orders
        if alarms is not None:
            entry.reads["alarms.active"] = await alarms
        return entry

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
