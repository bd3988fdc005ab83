"""What a condition is: a named departure from the healthy baseline, with where it shows."""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from firstcall.sandbox.model import Customer
from firstcall.sandbox.platforms.state import Platforms
from firstcall.sandbox.profile import Profile


@dataclass
class Ctx:
    """What a condition's effect may touch: the platforms being built for one customer."""

    c: Customer
    p: Platforms
    epoch: datetime
    now: datetime
    rng: random.Random
    resolved: bool = False  # truth of a condition a command has cleared: show the fixed world

    def ago(self, **delta: float) -> datetime:
        """A moment before the request: the problem is happening now, whenever 'now' is."""
        return self.now - timedelta(**delta)

    def amount(self, low: float, high: float) -> float:
        """A money amount fixed for this customer (stable across requests)."""
        span = int((high - low) * 10)
        return round(low + (self.c.index * 7919 % max(span, 1)) / 10, 2)


Effect = Callable[[Ctx], None]


@dataclass(frozen=True)
class Condition:
    """A condition the generator injects or a test forces.

    truth:  changes what CRM/billing/points say (the customer really is in arrears, really has a
            failed order); every platform is derived from that, so it is not a mismatch.
    effect: changes one or more platforms after derivation, so they disagree with CRM or show a
            fault; these are the expected-vs-actual facts of the ground truth.
    pool:   (NE kind, pool) the customer is homed on, e.g. an OLT with a standing alarm.
    fixed_by: command effects that clear it ("resync:AAA", "kick", "payment" ...).
    branches: the flow branches (flows.yaml `FLOW STEP: when`) this condition produces.
    """

    name: str
    summary: str
    rate: float
    needs: Callable[[Profile], bool]
    branches: tuple[str, ...]
    caller: str = ""
    truth: Effect | None = None
    effect: Effect | None = None
    pool: tuple[str, str] | None = None
    fixed_by: tuple[str, ...] = ()


def mobile(p: Profile) -> bool:
    return p.mobile


def prepaid_mobile(p: Profile) -> bool:
    return p.mobile and p.prepaid


def broadband(p: Profile) -> bool:
    return p.broadband


def ftth(p: Profile) -> bool:
    return p.access == "FTTH"


def adsl(p: Profile) -> bool:
    return p.access == "ADSL"


def lan(p: Profile) -> bool:
    return p.access == "LAN"


def prepaid_broadband(p: Profile) -> bool:
    return p.bb_prepaid


def iptv(p: Profile) -> bool:
    return p.iptv


def vas(p: Profile) -> bool:
    return p.vas


def anyone(p: Profile) -> bool:
    return True
