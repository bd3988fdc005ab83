"""Evaluating a decision table: rule-engine expressions over declared, typed inputs.

Conditions and output cells are both rule-engine expressions, parsed against the rule set's
inputs, so a cell can be a constant (`"装维"`) or computed from the inputs
(`flow_priority == "normal" ? "high" : "urgent"`). Nothing typed here is run as Python: an
expression sees only the inputs, by name, with no attribute access into Python objects.
"""

from dataclasses import dataclass, field
from typing import Any

import rule_engine

T = rule_engine.DataType
TYPES: dict[str, Any] = {
    "string": T.STRING,
    "number": T.FLOAT,
    "boolean": T.BOOLEAN,
    "list": T.ARRAY(T.STRING),
}


EMPTY: dict[str, Any] = {"string": "", "list": ()}  # a missing number or boolean is null


class RuleError(Exception):
    """The table cannot decide: no row holds, or a decided value is not allowed."""


def context(inputs: dict[str, dict[str, Any]]) -> rule_engine.Context:
    types = {name: TYPES[spec.get("type", "string")] for name, spec in inputs.items()}
    return rule_engine.Context(
        type_resolver=rule_engine.type_resolver_from_dict(types), default_value=None
    )


def _parse(text: str, ctx: rule_engine.Context) -> rule_engine.Rule:
    return rule_engine.Rule(text, context=ctx)


def _error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {getattr(exc, 'message', exc)}"


def problems(
    inputs: dict[str, dict[str, Any]], outputs: dict[str, dict[str, Any]], rows: list[Any]
) -> list[str]:
    """Everything that keeps a table from being published, with the row it is in (from 1)."""
    found: list[str] = []
    unknown = [n for n, s in inputs.items() if s.get("type", "string") not in TYPES]
    if unknown:
        return [f"Inputs of an unknown type: {', '.join(unknown)}."]
    ctx = context(inputs)
    if not rows:
        found.append("The table has no rows.")
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            found.append(f"Row {n} is not a row.")
            continue
        when = str(row.get("when") or "").strip()
        if when:
            try:
                rule = _parse(when, ctx)
            except rule_engine.errors.EngineError as exc:
                found.append(f"Row {n}, condition: {_error(exc)} in {when!r}.")
            else:
                kind = rule.statement.expression.result_type
                if kind not in (T.BOOLEAN, T.UNDEFINED):
                    found.append(f"Row {n}, condition: it gives a {kind.name}, not true or false.")
        then = row.get("then") or {}
        for name in outputs:
            cell = str(then.get(name) or "").strip()
            if not cell:
                found.append(f"Row {n}: no value for {name}.")
                continue
            try:
                rule = _parse(cell, ctx)
            except rule_engine.errors.EngineError as exc:
                found.append(f"Row {n}, {name}: {_error(exc)} in {cell!r}.")
                continue
            kind = rule.statement.expression.result_type
            if kind not in (T.STRING, T.UNDEFINED):
                found.append(f"Row {n}, {name}: it gives a {kind.name}, not text.")
        extra = sorted(set(then) - set(outputs))
        if extra:
            found.append(f"Row {n}: unknown outputs {', '.join(extra)}.")
    if rows and not any(isinstance(r, dict) and not str(r.get("when") or "").strip() for r in rows):
        found.append("No row without a condition: some cases would get no decision.")
    return found


@dataclass
class Compiled:
    inputs: dict[str, dict[str, Any]]
    outputs: dict[str, dict[str, Any]]
    rows: list[tuple[rule_engine.Rule | None, dict[str, rule_engine.Rule]]]


def compile_table(
    inputs: dict[str, dict[str, Any]], outputs: dict[str, dict[str, Any]], rows: list[Any]
) -> Compiled:
    ctx = context(inputs)
    compiled = []
    for row in rows:
        when = str(row.get("when") or "").strip()
        cells = {name: _parse(str(row["then"][name]), ctx) for name in outputs}
        compiled.append((_parse(when, ctx) if when else None, cells))
    return Compiled(inputs, outputs, compiled)


@dataclass
class RowTrace:
    row: int  # from 1
    matched: bool
    error: str = ""


@dataclass
class Decision:
    outputs: dict[str, str]
    row: int  # the row that decided, from 1
    trace: list[RowTrace] = field(default_factory=list)


def coerce(inputs: dict[str, dict[str, Any]], facts: dict[str, Any]) -> dict[str, Any]:
    """Only declared inputs, each of its declared type; a missing text is empty, any other
    missing input is null."""
    values: dict[str, Any] = {}
    for name, spec in inputs.items():
        value = facts.get(name)
        kind = spec.get("type", "string")
        if value is None or value == "":
            values[name] = EMPTY.get(kind)
        elif kind == "number":
            try:
                values[name] = float(value)
            except (TypeError, ValueError):
                raise RuleError(f"{name}: {value!r} is not a number.") from None
        elif kind == "boolean":
            values[name] = value if isinstance(value, bool) else str(value) in ("1", "true", "on")
        elif kind == "list":
            values[name] = tuple(str(v) for v in value)
        else:
            values[name] = str(value)
    return values


def decide(table: Compiled, facts: dict[str, Any]) -> Decision:
    """The first row whose condition holds decides. A row whose condition cannot be evaluated
    on these inputs (a null compared as a number, say) does not hold, and says why."""
    values = coerce(table.inputs, facts)
    trace: list[RowTrace] = []
    for n, (when, cells) in enumerate(table.rows, 1):
        try:
            holds = when is None or bool(when.matches(values))
        except (rule_engine.errors.EngineError, TypeError) as exc:
            trace.append(RowTrace(n, False, _error(exc)))
            continue
        trace.append(RowTrace(n, holds))
        if not holds:
            continue
        try:
            outputs = {name: str(cell.evaluate(values)) for name, cell in cells.items()}
        except (rule_engine.errors.EngineError, TypeError) as exc:
            raise RuleError(f"Row {n}: {_error(exc)}") from exc
        for name, value in outputs.items():
            choices = table.outputs[name].get("choices")
            if choices and value not in choices:
                raise RuleError(f"Row {n}: {name} {value!r} is not one of {', '.join(choices)}.")
        return Decision(outputs, n, trace)
    raise RuleError("No row holds for these inputs.")
