"""Auto-diagnosis: run every check of a flow at once, then walk the graph on the facts.

The walk stops where the data cannot decide: a step that waits for the caller's answer (unless
one is given), a check whose system failed, or a step whose branches all fail to match. Action
steps are proposed, not carried out: the walk assumes the action succeeds and says so.
"""

import asyncio
from dataclasses import dataclass, field
from typing import Any

from firstcall.customers.unified import CustomerView
from firstcall.navigation.checks.registry import CHECKS, CheckFailed
from firstcall.navigation.spec import Branch, FlowSpec, Step
from firstcall.navigation.validate import compiled, evaluate
from firstcall.rules.expressions import Conditions

ANSWERED = ("ask", "guide", "decide")


@dataclass
class Visit:
    step: Step
    branch: Branch | None = None
    facts: dict[str, Any] = field(default_factory=dict)  # the evidence this step decided on


@dataclass
class Diagnosis:
    path: list[Visit]
    facts: dict[str, Any]
    failed: dict[str, str]  # check id -> error code
    stopped: str = ""  # why the walk stopped before an end: needs_answer, check_failed, no_branch

    @property
    def last(self) -> Step:
        return self.path[-1].step

    @property
    def terminal(self) -> Step | None:
        return self.last if self.last.kind == "end" else None

    @property
    def actions(self) -> list[Step]:
        return [v.step for v in self.path if v.step.kind == "action"]


async def run_checks(spec: FlowSpec, view: CustomerView) -> tuple[dict[str, Any], dict[str, str]]:
    ids = sorted({s.check for s in spec.steps.values() if s.kind == "query" and s.check})
    outcomes = await asyncio.gather(*(CHECKS[i].run(view) for i in ids), return_exceptions=True)
    facts: dict[str, Any] = {}
    failed: dict[str, str] = {}
    for check_id, outcome in zip(ids, outcomes, strict=True):
        if isinstance(outcome, CheckFailed):
            error = outcome.result.error
            failed[check_id] = error.code if error else "error"
        elif isinstance(outcome, BaseException):
            raise outcome
        else:
            facts.update(outcome)
    return facts, failed


def choose(
    step: Step, facts: dict[str, Any], answer: str = "", conditions: Conditions | None = None
) -> Branch | None:
    """The first branch whose condition holds (`conditions`: the flow's, compiled); on answered
    steps the one the caller gave."""
    if step.kind in ANSWERED and any(b.answer for b in step.branches):
        return next((b for b in step.branches if answer and b.answer == answer), None)
    for branch in step.branches:
        if not branch.condition or evaluate(branch.condition, facts, conditions):
            return branch
    return None


def walk(
    spec: FlowSpec,
    facts: dict[str, Any],
    failed: dict[str, str],
    answers: dict[str, str] | None = None,
    start: str = "",
) -> Diagnosis:
    answers = answers or {}
    conditions = compiled(spec)
    diagnosis = Diagnosis(path=[], facts=facts, failed=failed)
    current: str | None = start or spec.entry
    seen: set[str] = set()
    while current is not None and current not in seen:
        seen.add(current)
        step = spec.steps[current]
        visit = Visit(step)
        diagnosis.path.append(visit)
        if step.kind == "end":
            break
        if step.kind == "query":
            if step.check in failed:
                diagnosis.stopped = "check_failed"
                break
            visit.facts = {k: facts.get(k) for k in CHECKS[step.check].facts}
        local = dict(facts)
        if step.kind == "action":
            local["action_ok"] = True  # proposed: the walk assumes the action works
        branch = choose(step, local, answers.get(step.id, ""), conditions)
        if branch is None:
            diagnosis.stopped = "needs_answer" if step.kind in ANSWERED else "no_branch"
            break
        visit.branch = branch
        current = branch.target
    return diagnosis


async def diagnose(
    spec: FlowSpec, view: CustomerView, answers: dict[str, str] | None = None, start: str = ""
) -> Diagnosis:
    facts, failed = await run_checks(spec, view)
    return walk(spec, facts, failed, answers, start)
