"""How every command behaves, whatever the platform: idempotent by state, refusable, logged.

A command names the fixes it performs (`fix_keys`, matched against `Condition.fixed_by`) and may
also change explicit facts (`change`). If neither would change anything it is a no-op and
answers exactly as the first time. If the customer carries `repair_rejected`, a command that
would change something fails and changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from firstcall.sandbox.conditions import BY_NAME, REPAIR_REJECTED
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.model import Customer
from firstcall.sandbox.platforms.mutations import Mutations

Change = Callable[[Mutations], None]


@dataclass(frozen=True)
class Outcome:
    ok: bool
    fixed: tuple[str, ...] = ()
    reason: str = ""


def fixable(sb: Sandbox, c: Customer, fix_keys: tuple[str, ...]) -> list[str]:
    active, _ = sb.conditions(c.index)
    return [n for n in active if any(k in BY_NAME[n].fixed_by for k in fix_keys)]


def execute(
    sb: Sandbox,
    c: Customer,
    *,
    system: str,
    command: str,
    fix_keys: tuple[str, ...] = (),
    change: Change | None = None,
    needed: bool = False,
    refusal: str = "",
    repair: bool = True,
) -> Outcome:
    """Apply a command. `needed` says the explicit `change` would alter a fact; `refusal`, if set,
    is a business reason to refuse (e.g. arrears outstanding) checked before anything else;
    `repair=False` marks business transactions (payments, refunds) that platform faults of
    `repair_rejected` do not touch."""
    if refusal:
        sb.store.record(
            system=system, command=command, index=c.index, outcome="refused", at=sb.now()
        )
        return Outcome(False, reason=refusal)
    fixes = fixable(sb, c, fix_keys)
    if not fixes and not needed:
        return Outcome(True)
    active, _ = sb.conditions(c.index)
    if repair and REPAIR_REJECTED.name in active:
        sb.store.record(
            system=system, command=command, index=c.index, outcome="rejected", at=sb.now()
        )
        return Outcome(False, reason="网元执行失败：NE returned an error, nothing was changed")
    m = sb.store.edit(c.index)
    m.cleared.update(fixes)
    if change is not None:
        change(m)
    sb.store.record(system=system, command=command, index=c.index, outcome="done", at=sb.now())
    return Outcome(True, tuple(fixes))
