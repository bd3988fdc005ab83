"""Registry of observability checks: condition -> a predicate over what the systems say."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from firstcall.sandbox.model import Customer
from firstcall.sandbox.tests.views import Views

Predicate = Callable[[Views], Awaitable[bool]]


@dataclass(frozen=True)
class Check:
    predicate: Predicate
    fits: Callable[[Customer], bool]


CHECKS: dict[str, Check] = {}


def check(name: str, fits: Callable[[Customer], bool] = lambda c: True):
    def register(predicate: Predicate) -> Predicate:
        assert name not in CHECKS, name
        CHECKS[name] = Check(predicate, fits)
        return predicate

    return register


def load() -> dict[str, Check]:
    from firstcall.sandbox.tests import (  # noqa: F401 - importing registers the checks
        checks_aaa,
        checks_access,
        checks_account,
        checks_iptv,
        checks_mobile,
        checks_orders,
        checks_points,
        checks_sms,
    )

    return CHECKS
