"""Auto-diagnosis: walk the flow's graph from the current step, running a check only when the walk
can reach its step.

From where the walk stands, the steps it can still reach are followed through the graph: through
a step already decided, only its branch; through a query step whose check has not answered, every
branch; up to a step that waits for the caller's answer (unless one is given) or an end. The
checks of those steps start together (a prefetch: a slow one starts as early as it can), the walk
waits at each step for the checks whose facts its conditions name, and after each decision the
reachable set shrinks: no check of a branch the walk has left is started. A check already running
is left to finish (its read may be shared with a panel) but is not waited for.

The walk stops where the data cannot decide: a step that waits for the caller's answer (unless
one is given), a check whose system failed, or a step whose branches all fail to match; then the
diagnosis says which step and the facts its conditions were evaluated on (`Stop`). Action steps
are proposed, not carried out: the walk assumes the action succeeds and says so.
"""

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any

from firstcall.customers.unified import CustomerView
from firstcall.navigation.checks.registry import CHECKS, CheckFailed
from firstcall.navigation.spec import Branch, FlowSpec, Step
from firstcall.navigation.validate import compiled, evaluate
from firstcall.rules import expressions
from firstcall.rules.expressions import Conditions

ANSWERED = ("ask", "guide", "decide")


@dataclass
class Visit:
    step: Step
    branch: Branch | None = None
    facts: dict[str, Any] = field(default_factory=dict)  # the evidence this step decided on


@dataclass
class Stop:
    """Where a walk stopped because no branch held, and the facts its conditions named (fact
    name -> value, None when no check supplied it), for the agent's screen."""

    step: Step
    facts: dict[str, Any]


@dataclass
class Diagnosis:
    path: list[Visit]
    facts: dict[str, Any]
    failed: dict[str, str]  # check id -> error code
    stopped: str = ""  # why the walk stopped before an end: needs_answer, check_failed, no_branch
    checks: list[str] = field(default_factory=list)  # the checks started, in order

    @property
    def last(self) -> Step:
        return self.path[-1].step

    @property
    def terminal(self) -> Step | None:
        return self.last if self.last.kind == "end" else None

    @property
    def actions(self) -> list[Step]:
        return [v.step for v in self.path if v.step.kind == "action"]

    @property
    def stop(self) -> Stop | None:
        """When no branch held: the step and the facts it evaluated."""
        if self.stopped != "no_branch" or not self.path:
            return None
        return Stop(self.last, evaluated(self.last, self.facts))


_STRINGS = re.compile(r""""(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'""")
_NAMES = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def names(condition: str) -> list[str]:
    """The names a condition uses (outside its quoted texts), in order, each once."""
    return list(dict.fromkeys(_NAMES.findall(_STRINGS.sub(" ", condition))))


def evaluated(step: Step, facts: dict[str, Any]) -> dict[str, Any]:
    """The facts the step's conditions name, with their values (None: not supplied)."""
    declared = set(fact_names())
    used = dict.fromkeys(n for b in step.branches for n in names(b.condition) if n in declared)
    return {name: facts.get(name) for name in used}


def stop_at(spec: FlowSpec, step: Step | None, facts: dict[str, Any]) -> Stop | None:
    """A step the data decides (a query, or a step branching on conditions) where no branch holds
    on these facts: the step and the facts its conditions named; None when a branch holds, or
    the step waits for the caller, or is an end or an action."""
    if step is None or step.kind in ("end", "action") or not step.branches:
        return None
    if step.kind in ANSWERED and any(b.answer for b in step.branches):
        return None
    if choose(step, facts, "", compiled(spec)) is not None:
        return None
    return Stop(step, evaluated(step, facts))


def fact_names() -> set[str]:
    return {name for check in CHECKS.values() for name in check.facts}


@dataclass
class Plan:
    """What the walk needs of a flow's checks: the checks each step waits for (its own, and the
    ones that supply a fact its conditions name)."""

    needs: dict[str, list[str]]


def plan(spec: FlowSpec) -> Plan:
    compiled(spec)  # sets spec.key
    return expressions.cached(("plan", *spec.key), lambda: _plan(spec))


def _plan(spec: FlowSpec) -> Plan:
    ids = sorted({s.check for s in spec.steps.values() if s.kind == "query" and s.check in CHECKS})
    supplier: dict[str, list[str]] = {}
    for check_id in ids:
        for name in CHECKS[check_id].facts:
            supplier.setdefault(name, []).append(check_id)
    needs = {}
    for step in spec.steps.values():
        wanted = {step.check} if step.kind == "query" and step.check in CHECKS else set()
        for branch in step.branches:
            for name in names(branch.condition):
                wanted.update(supplier.get(name, ()))
        needs[step.id] = sorted(wanted)
    return Plan(needs)


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


def _local(step: Step, facts: dict[str, Any]) -> dict[str, Any]:
    if step.kind != "action":
        return facts
    return {**facts, "action_ok": True}  # proposed: the walk assumes the action works


def _decide(
    diagnosis: Diagnosis,
    step: Step,
    answers: dict[str, str],
    conditions: Conditions,
) -> str | None:
    """Record the visit of `step` and return the next step, or None where the walk stops."""
    visit = Visit(step)
    diagnosis.path.append(visit)
    if step.kind == "end":
        return None
    if step.kind == "query":
        if step.check in diagnosis.failed:
            diagnosis.stopped = "check_failed"
            return None
        visit.facts = {k: diagnosis.facts.get(k) for k in CHECKS[step.check].facts}
    branch = choose(step, _local(step, diagnosis.facts), answers.get(step.id, ""), conditions)
    if branch is None:
        diagnosis.stopped = "needs_answer" if step.kind in ANSWERED else "no_branch"
        return None
    visit.branch = branch
    return branch.target


def walk(
    spec: FlowSpec,
    facts: dict[str, Any],
    failed: dict[str, str],
    answers: dict[str, str] | None = None,
    start: str = "",
) -> Diagnosis:
    """The walk on facts already gathered (every check's, or what a test gives)."""
    answers = answers or {}
    conditions = compiled(spec)
    diagnosis = Diagnosis(path=[], facts=facts, failed=failed)
    current: str | None = start or spec.entry
    seen: set[str] = set()
    while current is not None and current not in seen:
        seen.add(current)
        current = _decide(diagnosis, spec.steps[current], answers, conditions)
    return diagnosis


class _Checks:
    """The flow's checks for one diagnosis: started on demand, each once; their facts merged in
    the order of their ids (as when every check ran at once)."""

    def __init__(self, view: CustomerView, diagnosis: Diagnosis) -> None:
        self.view = view
        self.diagnosis = diagnosis
        self.tasks: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.results: dict[str, dict[str, Any]] = {}

    def start(self, check_ids: list[str]) -> None:
        for check_id in check_ids:
            if check_id not in self.tasks:
                self.diagnosis.checks.append(check_id)
                self.tasks[check_id] = asyncio.ensure_future(CHECKS[check_id].run(self.view))

    def done(self, check_ids: list[str]) -> bool:
        return all(c in self.results or c in self.diagnosis.failed for c in check_ids)

    async def wait(self, check_ids: list[str]) -> None:
        self.start(check_ids)
        for check_id in check_ids:
            if self.done([check_id]):
                continue
            try:
                self.results[check_id] = await self.tasks[check_id]
            except CheckFailed as failure:
                error = failure.result.error
                self.diagnosis.failed[check_id] = error.code if error else "error"
        facts: dict[str, Any] = {}
        for check_id in sorted(self.results):
            facts.update(self.results[check_id])
        self.diagnosis.facts = facts

    def leave(self) -> None:
        """Checks still running are not waited for; their outcome is collected when they end
        (a failure is then not an unretrieved exception)."""
        for task in self.tasks.values():
            task.add_done_callback(_collect)  # at once when it is done already


def _collect(task: "asyncio.Future[Any]") -> None:
    if not task.cancelled():
        task.exception()


def reachable(
    spec: FlowSpec,
    current: str,
    answers: dict[str, str],
    checks: _Checks,
    conditions: Conditions,
) -> list[str]:
    """The checks of the steps the walk can still reach from `current`: through a step whose
    checks have answered, only the branch it takes; through one still waiting, every branch; an
    answered step without the caller's answer, an end or a failed check stops the search."""
    needs = plan(spec).needs
    found: dict[str, None] = {}
    queue, seen = [current], {current}
    while queue:
        step = spec.steps[queue.pop(0)]
        if step.kind == "end":
            continue
        targets: list[str]
        if step.kind in ANSWERED and any(b.answer for b in step.branches):
            branch = choose(step, {}, answers.get(step.id, ""))
            targets = [branch.target] if branch else []
        else:
            found.update(dict.fromkeys(needs[step.id]))
            if not checks.done(needs[step.id]):
                targets = [b.target for b in step.branches]
            elif step.kind == "query" and step.check in checks.diagnosis.failed:
                targets = []
            else:
                facts = _local(step, checks.diagnosis.facts)
                branch = choose(step, facts, answers.get(step.id, ""), conditions)
                targets = [branch.target] if branch else []
        for target in targets:
            if target in spec.steps and target not in seen:
                seen.add(target)
                queue.append(target)
    return list(found)


async def diagnose(
    spec: FlowSpec, view: CustomerView, answers: dict[str, str] | None = None, start: str = ""
) -> Diagnosis:
    """Walk from `start` (the entry by default), running only the checks the walk can reach."""
    answers = answers or {}
    conditions = compiled(spec)
    needs = plan(spec).needs
    diagnosis = Diagnosis(path=[], facts={}, failed={})
    checks = _Checks(view, diagnosis)
    current: str | None = start or spec.entry
    seen: set[str] = set()
    try:
        while current is not None and current not in seen:
            seen.add(current)
            checks.start(reachable(spec, current, answers, checks, conditions))
            await checks.wait(needs[current])
            current = _decide(diagnosis, spec.steps[current], answers, conditions)
    finally:
        checks.leave()
    return diagnosis
