"""The process engine's expressions: gateway conditions (and a multi-instance task's completion
condition) are rule-engine expressions over the process data, compiled by FirstCall's one
compiler (`rules.expressions`: bounded, cached, translated errors). SpiffWorkflow's Python script
engine is replaced by one that evaluates through that compiler and refuses every script: nothing
in a process document reaches Python's eval or exec."""

import contextlib
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from SpiffWorkflow.bpmn.script_engine.python_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from firstcall.rules import expressions
from firstcall.rules.expressions import ExpressionError, T

# The names gateways read and their types (docs/backoffice.md, "Data the gateways read"). A
# name not declared here is unknown to a condition: publishing refuses it. A caller may declare
# more (a form's fields) through `types=` on `validate` and `spec_for`.
DATA_TYPES: dict[str, Any] = {
    "action": T.STRING,
    "is_fault": T.STRING,
    "is_coverage": T.STRING,
    "span": T.STRING,
    "priority": T.STRING,
    "repeat_count": T.FLOAT,
    "escalated": T.BOOLEAN,
    "tier": T.STRING,
    "kind": T.STRING,
    "target": T.STRING,
    "customer_answered": T.STRING,
    "satisfaction": T.STRING,
}


class RunFailed(Exception):
    """The engine could not run on: the data a step needs is missing or not what it should be
    (a multi-instance task's list of units is not a list, a condition cannot be evaluated).
    `str()` is a translated sentence."""


class ConditionFailed(RunFailed):
    """A condition could not be evaluated on this data (a value of the wrong type, over budget).
    `str()` is a translated sentence naming the condition."""

    def __init__(self, expression: str, reason: str) -> None:
        self.expression = expression
        self.reason = reason
        super().__init__(
            _("The condition %(condition)s could not be evaluated: %(reason)s")
            % {"condition": expression, "reason": reason}
        )


class ScriptRefused(Exception):
    """The engine was asked to run a script (validation refuses documents that have one)."""


def data_types(extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {**DATA_TYPES, **(extra or {})}


def compile_all(texts: Iterable[str], types: Mapping[str, Any]) -> expressions.Conditions:
    """Every expression of one document compiled against the declared names; the ones that do
    not compile are in `.errors` (text → translated reason)."""
    conditions = expressions.Conditions((), expressions.context(types))
    for text in dict.fromkeys(texts):
        with contextlib.suppress(ExpressionError):  # kept with its reason in `.errors`
            conditions.rule(text)
    return conditions


class _RuleEnvironment(BasePythonScriptEngineEnvironment):
    """What SpiffWorkflow calls to evaluate an expression: rule-engine, never eval."""

    def __init__(self, conditions: expressions.Conditions) -> None:
        super().__init__({})
        self.conditions = conditions

    def evaluate(
        self, expression: str, context: Mapping[str, Any], external_context: Any = None
    ) -> Any:
        try:
            return self.conditions.evaluate(expression.strip(), context)
        except ExpressionError as exc:
            raise ConditionFailed(expression, str(exc)) from None

    def execute(self, script: str, context: Any, external_context: Any = None) -> Any:
        raise ScriptRefused(_("Scripts are not run in back-office processes."))

    def call_service(self, context: Any, **kwargs: Any) -> Any:
        raise ScriptRefused(_("Service tasks are not run in back-office processes."))


class RuleScriptEngine(PythonScriptEngine):
    """SpiffWorkflow's script engine with rule-engine for expressions and no scripts."""

    def __init__(self, conditions: expressions.Conditions) -> None:
        self.rules = _RuleEnvironment(conditions)
        super().__init__(environment=self.rules)

    def validate(self, expression: str) -> None:
        try:
            self.rules.conditions.rule(expression.strip())
        except ExpressionError as exc:
            raise ConditionFailed(expression, str(exc)) from None

    def evaluate(self, task: Any, expression: str, external_context: Any = None) -> Any:
        return self.rules.evaluate(expression, task.data)

    def execute(self, task: Any, script: str, external_context: Any = None) -> Any:
        return self.rules.execute(script, {})

    def call_service(self, task: Any, **kwargs: Any) -> Any:
        return self.rules.call_service({}, **kwargs)
