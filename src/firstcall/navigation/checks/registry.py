"""The registry of checks: the Check record, `CHECKS`, the `check` decorator and the facts' types.

A check reads through the unified view (`CustomerView`), so its answers come from the call cache
when a panel already asked, and go into it otherwise. Each fact has a declared type; a flow's
conditions are parsed against these types when the flow is published, so a condition that names
a fact no check yields, or compares it with the wrong type, cannot be published.

A check belongs to the family module that registers it (`checks/<family>.py`); the page of its
step is the builder the family registers with it (`shows`), in the family's template
`navigation/checks/<family>.html`. This module imports no family.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from firstcall.customers.unified import CustomerView
from firstcall.integrations.envelope import Result
from firstcall.rules import expressions

T = expressions.T  # the one rule-engine wrapper (rules.expressions) declares the types

Run = Callable[[CustomerView], Awaitable[dict[str, Any]]]
# What fills a step's page: `async def build(sight: page.Sight, page: page.Page)`. Typed loosely
# here so that the registry imports nothing of the page it registers.
Builder = Callable[[Any, Any], Awaitable[None]]


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
    run: Run
    family: str = ""  # the module that registers it: checks/<family>.py

    @property
    def template(self) -> str:
        return f"navigation/checks/{self.family}.html"

    @property
    def page(self) -> Builder | None:
        """What fills the step's page: the builder the family registered for the check."""
        return BUILDERS.get(self.id)


CHECKS: dict[str, Check] = {}
BUILDERS: dict[str, Builder] = {}  # check id -> what fills its page
# Facts that do not come from a check: the caller's answer on ask/guide/decide steps, and the
# outcome of the last action step.
BUILTIN_FACTS: dict[str, Any] = {"answer": T.STRING, "action_ok": T.BOOLEAN}


def family_of(module: str) -> str:
    """ "firstcall.navigation.checks.broadband" -> "broadband"."""
    return module.rsplit(".", 1)[-1]


def check(id: str, system: str, **facts: Any) -> Callable[[Run], Run]:
    """Register a check of the calling family: `@check("aaa.user", "aaa", aaa_exists=T.BOOLEAN)`."""

    def register(fn: Run) -> Run:
        CHECKS[id] = Check(id, system, facts, fn, family_of(fn.__module__))
        return fn

    return register


def shows(*check_ids: str) -> Callable[[Builder], Builder]:
    """Register the page builder of the named checks (of the same family)."""

    def register(fn: Builder) -> Builder:
        for check_id in check_ids:
            BUILDERS[check_id] = fn
        return fn

    return register


def fact_types() -> dict[str, Any]:
    types = dict(BUILTIN_FACTS)
    for c in CHECKS.values():
        types.update(c.facts)
    return types
