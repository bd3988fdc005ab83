"""The registry of conditions and how the generator assigns them to customers."""

import bisect
from collections.abc import Callable, Mapping

from firstcall.sandbox.conditions import (
    aaa,
    aaa_authz,
    aaa_binding,
    aaa_sessions,
    access,
    account,
    bb_status,
    data,
    iptv,
    line,
    mobile,
    onu,
    orders,
    points,
    points_delivery,
    roaming,
    sms,
    vas,
)
from firstcall.sandbox.conditions.spec import Condition, anyone
from firstcall.sandbox.profile import Profile
from firstcall.sandbox.rng import Purpose, QuickDraws

REPAIR_REJECTED = Condition(
    "repair_rejected",
    "modifier: every repair command for this customer fails on the platform (nothing changes)",
    0.0,
    anyone,
    (
        "F-BB-691 A-RESYNC: 同步失败",
        "F-BB-651 A-REPROV: 仍未上线",
        "F-MOB-NOCALL A-RESUME: 失败",
        "F-MOB-NOCALL A-HLR-SYNC: 失败",
        "F-MOB-ORDER A-RESEND: 失败",
        "F-MOB-POINTS A-RESEND: 失败",
        "F-IPTV-NOPIC A-REPROV: 失败",
    ),
    caller="已经处理过一次了还是不行",
)

CONDITIONS: tuple[Condition, ...] = (
    *account.CONDITIONS,
    *bb_status.CONDITIONS,
    *aaa.CONDITIONS,
    *aaa_binding.CONDITIONS,
    *aaa_sessions.CONDITIONS,
    *aaa_authz.CONDITIONS,
    *line.CONDITIONS,
    *access.CONDITIONS,
    *onu.CONDITIONS,
    *mobile.CONDITIONS,
    *sms.CONDITIONS,
    *data.CONDITIONS,
    *roaming.CONDITIONS,
    *vas.CONDITIONS,
    *iptv.CONDITIONS,
    *orders.CONDITIONS,
    *points.CONDITIONS,
    *points_delivery.CONDITIONS,
)
BY_NAME: dict[str, Condition] = {c.name: c for c in (*CONDITIONS, REPAIR_REJECTED)}
ORDER = {name: n for n, name in enumerate(BY_NAME)}
HEALTHY = "healthy"

DEFAULT_REPAIR_REJECT_SHARE = 0.1


class Assignment:
    """Which conditions the generator gives a customer, from the profile alone.

    One uniform draw per customer lands in a slot of the cumulative rates (so a rate is the
    share of all customers whose slot it is); the condition applies only if the customer has
    the products it needs, otherwise the customer stays healthy. A repairable condition comes
    with `repair_rejected` for a share of those customers."""

    def __init__(
        self,
        rates: Mapping[str, float] | None = None,
        reject_share: float = DEFAULT_REPAIR_REJECT_SHARE,
    ) -> None:
        unknown = set(rates or {}) - set(BY_NAME)
        if unknown:
            raise ValueError(f"unknown conditions: {', '.join(sorted(unknown))}")
        self.rates = {c.name: (rates or {}).get(c.name, c.rate) for c in CONDITIONS}
        self.reject_share = reject_share
        self.bounds: list[float] = []
        total = 0.0
        for c in CONDITIONS:
            total += self.rates[c.name]
            self.bounds.append(total)
        if total > 1.0:
            raise ValueError(f"condition rates add up to {total:.3f}, more than 1")

    def generated(self, seed: int, index: int, prof: Callable[[], Profile]) -> tuple[str, ...]:
        """`prof` is only called when the draw lands in a slot: most customers need no profile."""
        rng = QuickDraws(seed, index, Purpose.CONDITIONS)
        slot = bisect.bisect_right(self.bounds, rng.random())
        if slot >= len(CONDITIONS):
            return ()
        cond = CONDITIONS[slot]
        if not cond.needs(prof()):
            return ()
        if cond.fixed_by and rng.random() < self.reject_share:
            return (cond.name, REPAIR_REJECTED.name)
        return (cond.name,)


def ordered(names: set[str] | tuple[str, ...] | list[str]) -> list[Condition]:
    """Conditions in registry order, so effects always apply in the same order."""
    return [BY_NAME[n] for n in sorted(set(names), key=ORDER.__getitem__)]


def applicable(name: str, prof: Profile) -> bool:
    return BY_NAME[name].needs(prof)
