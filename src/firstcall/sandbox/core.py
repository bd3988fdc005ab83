"""The sandbox's model of the operator: customers by key, their conditions, their platforms."""

import functools
from collections.abc import Iterator
from datetime import datetime

from firstcall.sandbox import numbering
from firstcall.sandbox.conditions import BY_NAME, HEALTHY, Assignment, ordered
from firstcall.sandbox.config import SandboxConfig
from firstcall.sandbox.faults import Runtime
from firstcall.sandbox.generate import build_customer
from firstcall.sandbox.model import Customer
from firstcall.sandbox.numbering import KeyKind
from firstcall.sandbox.platforms.build import build_platforms
from firstcall.sandbox.platforms.state import Platforms
from firstcall.sandbox.profile import Profile, profile
from firstcall.sandbox.store import Store

KEY_OF_PROFILE = {
    KeyKind.MOBILE: lambda p: p.mobile,
    KeyKind.BROADBAND: lambda p: p.broadband,
    KeyKind.FIXED: lambda p: p.fixed,
    KeyKind.IPTV: lambda p: p.iptv,
    KeyKind.CUSTOMER: lambda p: True,
    KeyKind.ACCOUNT: lambda p: True,
}
KEY_TEXT = {
    KeyKind.MOBILE: lambda i, p: numbering.mobile_number(i),
    KeyKind.BROADBAND: lambda i, p: numbering.broadband_account(i, p.city),
    KeyKind.FIXED: lambda i, p: numbering.fixed_number(i, p.city),
    KeyKind.IPTV: lambda i, p: numbering.iptv_account(i, p.city),
    KeyKind.CUSTOMER: lambda i, p: numbering.customer_id(i, p.city),
    KeyKind.ACCOUNT: lambda i, p: numbering.account_id(i, p.city),
}


class Sandbox:
    def __init__(self, config: SandboxConfig) -> None:
        if not 1 <= config.customers <= numbering.MAX_CUSTOMERS:
            raise ValueError(f"customers must be 1..{numbering.MAX_CUSTOMERS}")
        self.config = config
        self.assignment = Assignment(config.rates, config.repair_reject_share)
        self.store = Store()
        self.runtime = Runtime(latency=config.latency)
        self.built = 0  # customers generated so far (generation is lazy; tests check it)
        self._customer = functools.lru_cache(maxsize=8192)(self._build)

    @property
    def seed(self) -> int:
        return self.config.seed

    def now(self) -> datetime:
        """The clock, to the second (as every system reports time)."""
        return self.config.clock().replace(microsecond=0)

    def _build(self, index: int) -> Customer:
        self.built += 1
        return build_customer(self.seed, index, self.config.epoch)

    def customer(self, index: int) -> Customer:
        return self._customer(index)

    def profile(self, index: int) -> Profile:
        return profile(self.seed, index)

    def locate(self, number: str, kinds: tuple[KeyKind, ...] | None = None) -> Customer | None:
        """The customer a key belongs to, or None (unknown, wrong kind, or a product it lacks)."""
        decoded = numbering.decode(number)
        if decoded is None:
            return None
        kind, index = decoded
        if (kinds and kind not in kinds) or index >= self.config.customers:
            return None
        prof = self.profile(index)
        if not KEY_OF_PROFILE[kind](prof):
            return None
        if KEY_TEXT[kind](index, prof) != numbering.normalise(number):
            return None
        return self.customer(index)

    def generated_conditions(self, index: int) -> tuple[str, ...]:
        return self.assignment.generated(self.seed, index, lambda: self.profile(index))

    def conditions(self, index: int) -> tuple[list[str], list[str]]:
        """(active, resolved): the customer's conditions, split by whether a command fixed them."""
        m = self.store.of(index)
        base = m.forced if m and m.forced is not None else self.generated_conditions(index)
        cleared = m.cleared if m else set()
        names = [c.name for c in ordered(base)]
        return [n for n in names if n not in cleared], [n for n in names if n in cleared]

    def platforms(
        self, c: Customer, *, expected: bool = False, now: datetime | None = None
    ) -> Platforms:
        """Every platform's state now; `expected` leaves out the deviations (what CRM implies)."""
        active, resolved = self.conditions(c.index)
        return build_platforms(
            c,
            seed=self.seed,
            active=ordered(active),
            resolved=ordered(resolved),
            effects=not expected,
            mutations=self.store.of(c.index),
            epoch=self.config.epoch,
            now=now or self.now(),
        )

    def with_condition(self, name: str, *, start: int = 0) -> Iterator[int]:
        """Indexes of customers that have a condition now (forced ones first), lazily."""
        if name != HEALTHY and name not in BY_NAME:
            raise KeyError(name)
        forced = sorted(i for i, m in self.store.mutations.items() if m.forced is not None)
        for index in forced:
            if index >= start and self._matches(index, name):
                yield index
        skip = set(forced)
        for index in range(start, self.config.customers):
            if index not in skip and self._matches(index, name):
                yield index

    def _matches(self, index: int, name: str) -> bool:
        active, _ = self.conditions(index)
        return not active if name == HEALTHY else name in active
