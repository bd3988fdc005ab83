"""What publishing a flow checks: every step reachable from the entry, every branch leads to a
step, every check exists, every condition parses as a rule-engine expression over known facts
with the right types, and every step that is not an end has somewhere to go."""

from typing import Any

import rule_engine

from firstcall.navigation.facts import CHECKS, fact_types
from firstcall.navigation.spec import FlowSpec

ANSWER_KINDS = ("ask", "guide", "decide")


def context() -> rule_engine.Context:
    """Conditions see only the declared facts: no attribute access into Python objects, no
    unknown names. A fact a check could not supply is null, not an error."""
    return rule_engine.Context(
        type_resolver=rule_engine.type_resolver_from_dict(fact_types()),
        default_value=None,
    )


def parse(condition: str) -> rule_engine.Rule:
    return rule_engine.Rule(condition, context=context())


def condition_error(condition: str) -> str:
    try:
        parse(condition)
    except rule_engine.errors.EngineError as exc:
        return f"{type(exc).__name__}: {getattr(exc, 'message', exc)}"
    return ""


def problems(spec: FlowSpec) -> list[str]:
    found: list[str] = []
    if spec.entry not in spec.steps:
        found.append(f"The entry {spec.entry!r} is not a step.")
        return found
    reached = {spec.entry}
    queue = [spec.entry]
    while queue:
        for target in spec.successors(queue.pop()):
            if target in spec.steps and target not in reached:
                reached.add(target)
                queue.append(target)
    for step in spec.steps.values():
        where = f"Step {step.id}"
        if step.id not in reached:
            found.append(f"{where} cannot be reached from the entry.")
        if step.kind == "end":
            if step.branches:
                found.append(f"{where} is an end but has branches.")
            continue
        if not step.branches:
            found.append(f"{where} leads nowhere.")
        if step.kind == "query" and step.check not in CHECKS:
            found.append(f"{where}: unknown check {step.check!r}.")
        for branch in step.branches:
            if branch.target not in spec.steps:
                found.append(f"{where}: a branch leads to an unknown step {branch.target!r}.")
            if branch.condition and (error := condition_error(branch.condition)):
                found.append(f"{where} → {branch.target}: {error} in {branch.condition!r}.")
            if (
                step.kind in ANSWER_KINDS
                and len(step.branches) > 1
                and not (branch.answer or branch.condition)
            ):
                found.append(f"{where} → {branch.target}: the caller's answer is not named.")
    return found


def evaluate(condition: str, facts: dict[str, Any]) -> bool:
    return bool(parse(condition).matches(facts))
