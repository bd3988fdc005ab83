"""What publishing a flow checks: every step reachable from the entry, every branch leads to a
step, every check exists, every condition parses as a rule-engine expression over known facts
with the right types, and every step that is not an end has somewhere to go.

Conditions are compiled by `rules.expressions`, the one place that bounds admin-typed
expressions (length, nesting, RE2 for regular expressions, a time budget) and keeps what it
compiled: `bounds_problems` is checked when a draft is saved, `problems` when it is published,
`compiled(spec)` gives every condition of a flow version compiled once (kept by the version's id
and content hash), and `evaluate` never raises."""

import logging
from typing import Any

from django.utils.translation import gettext as _

from firstcall.navigation.checks.registry import CHECKS, fact_types
from firstcall.navigation.spec import FlowSpec
from firstcall.rules import expressions, input_bounds
from firstcall.rules.expressions import ExpressionError

ANSWER_KINDS = ("ask", "guide", "decide")
log = logging.getLogger(__name__)


def context() -> Any:
    """Conditions see only the declared facts: no attribute access into Python objects, no
    unknown names. A fact a check could not supply is null, not an error."""
    return expressions.context(fact_types())


def texts(spec: FlowSpec) -> list[str]:
    return [b.condition for s in spec.steps.values() for b in s.branches if b.condition]


def compiled(spec: FlowSpec) -> expressions.Conditions:
    """Every condition of the flow, compiled once for its version: a published version's spec
    carries its key (id and content hash, see `runtime.spec_of`); a spec read from elsewhere (a
    seed file, a draft) is keyed by the hash of its conditions."""
    if not spec.key:
        spec.key = ("conditions", expressions.content_hash(*texts(spec)))
    return expressions.conditions(("flow", *spec.key), texts(spec), context)


def _loose() -> expressions.Conditions:
    """Conditions outside any version (a draft checked for publishing, a test)."""
    return expressions.conditions(("flow", "loose"), (), context)


def parse(condition: str) -> Any:
    """The compiled condition (raises ExpressionError)."""
    return _loose().rule(condition)


def condition_error(condition: str) -> str:
    try:
        parse(condition)
    except ExpressionError as exc:
        return str(exc)
    return ""


def bounds_problems(spec: FlowSpec) -> list[str]:
    """Conditions that may not be stored at all: too long, nested too deeply, or a regular
    expression RE2 cannot run. Checked when a draft is saved."""
    return [
        _("Step %(step)s → %(target)s: %(error)s")
        % {"step": step.id, "target": branch.target, "error": error}
        for step in spec.steps.values()
        for branch in step.branches
        if branch.condition and (error := expressions.bounds_error(branch.condition))
    ]


def problems(spec: FlowSpec) -> list[str]:
    found: list[str] = []
    if spec.entry not in spec.steps:
        found.append(_("The entry %(entry)s is not a step.") % {"entry": repr(spec.entry)})
        return found
    reached = {spec.entry}
    queue = [spec.entry]
    while queue:
        for target in spec.successors(queue.pop()):
            if target in spec.steps and target not in reached:
                reached.add(target)
                queue.append(target)
    for step in spec.steps.values():
        where = _("Step %(step)s") % {"step": step.id}
        if step.id not in reached:
            found.append(_("%(where)s cannot be reached from the entry.") % {"where": where})
        if step.kind == "end":
            if step.branches:
                found.append(_("%(where)s is an end but has branches.") % {"where": where})
            continue
        if not step.branches:
            found.append(_("%(where)s leads nowhere.") % {"where": where})
        if step.kind == "query" and step.check not in CHECKS:
            found.append(
                _("%(where)s: unknown check %(check)s.")
                % {"where": where, "check": repr(step.check)}
            )
        for branch in step.branches:
            to = {"where": where, "target": branch.target}
            if branch.target not in spec.steps:
                found.append(
                    _("%(where)s: a branch leads to an unknown step %(target)s.")
                    % {**to, "target": repr(branch.target)}
                )
            if branch.condition and (error := condition_error(branch.condition)):
                found.append(
                    _("%(where)s → %(target)s: %(condition)s: %(error)s")
                    % {**to, "error": error, "condition": repr(branch.condition)}
                )
            if (
                step.kind in ANSWER_KINDS
                and len(step.branches) > 1
                and not (branch.answer or branch.condition)
            ):
                found.append(_("%(where)s → %(target)s: the caller's answer is not named.") % to)
    return found


def evaluate(
    condition: str, facts: dict[str, Any], conditions: expressions.Conditions | None = None
) -> bool:
    """Whether the condition holds on these facts (`conditions`: the compiled ones of the flow
    version it belongs to). One that cannot be compiled or evaluated (a null fact compared as a
    number, a fact of 100,000 characters, the time budget spent) does not hold: the walk goes on
    to the next branch or stops there, and never fails the request."""
    try:
        if error := input_bounds.facts_error(facts):
            raise ExpressionError(error)
        return bool((conditions or _loose()).evaluate(condition, facts))
    except ExpressionError as exc:
        log.info("condition not evaluated", extra={"condition": condition, "error": str(exc)})
        return False
