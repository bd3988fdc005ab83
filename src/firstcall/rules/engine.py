"""Evaluating a decision table: rule-engine expressions over declared, typed inputs.

Conditions and output cells are both rule-engine expressions, parsed against the rule set's
inputs, so a cell can be a constant (`"装维"`) or computed from the inputs
(`flow_priority == "normal" ? "high" : "urgent"`). Nothing typed here is run as Python: an
expression sees only the inputs, by name, with no attribute access into Python objects.
"""

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from firstcall.rules import expressions, input_bounds
from firstcall.rules.expressions import ExpressionError, T

TYPES: dict[str, Any] = {
    "string": T.STRING,
    "number": T.FLOAT,
    "boolean": T.BOOLEAN,
    "list": T.ARRAY(T.STRING),
}


EMPTY: dict[str, Any] = {"string": "", "list": ()}  # a missing number or boolean is null
TRUE, FALSE = ("1", "true", "on", "yes"), ("0", "false", "off", "no")


class RuleError(Exception):
    """The table cannot decide: no row holds, or a decided value is not allowed."""


class InputRefused(RuleError):
    """Inputs that cannot be decided on: `errors` maps each input name to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__(" ".join(f"{n}: {m}" for n, ms in errors.items() for m in ms))


def context(inputs: dict[str, dict[str, Any]]) -> Any:
    return expressions.context(
        {name: TYPES[spec.get("type", "string")] for name, spec in inputs.items()}
    )


def bounds_problems(rows: list[dict[str, Any]]) -> list[str]:
    """What keeps rows from being stored at all: an expression out of bounds (too long, nested
    too deeply, a regular expression RE2 cannot run). Checked when a draft is saved."""
    found = []
    for n, row in enumerate(rows, 1):
        if error := expressions.bounds_error(row["when"]):
            found.append(_("Row %(n)s, condition: %(error)s") % {"n": n, "error": error})
        for name, cell in row["then"].items():
            if error := expressions.bounds_error(cell):
                found.append(
                    _("Row %(n)s, %(output)s: %(error)s") % {"n": n, "output": name, "error": error}
                )
    return found


def problems(
    inputs: dict[str, dict[str, Any]], outputs: dict[str, dict[str, Any]], rows: list[Any]
) -> list[str]:
    """Everything that keeps a table from being published, with the row it is in (from 1)."""
    found: list[str] = []
    unknown = [n for n, s in inputs.items() if s.get("type", "string") not in TYPES]
    if unknown:
        return [_("Inputs of an unknown type: %(names)s.") % {"names": ", ".join(unknown)}]
    ctx = context(inputs)
    if not isinstance(rows, list) or not rows:
        return [_("The table has no rows.")]
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not isinstance(row.get("then") or {}, dict):
            found.append(_("Row %(n)s is not a row.") % {"n": n})
            continue
        when = str(row.get("when") or "").strip()
        if when:
            where = _("Row %(n)s, condition") % {"n": n}
            try:
                kind = expressions.result_type(expressions.compile_expression(when, ctx))
            except ExpressionError as exc:
                found.append(f"{where}: {exc}")
            else:
                if kind not in (T.BOOLEAN, T.UNDEFINED):
                    found.append(
                        _("%(where)s: it gives %(kind)s, not true or false.")
                        % {"where": where, "kind": _kind(kind)}
                    )
        then = row.get("then") or {}
        for name in outputs:
            cell = str(then.get(name) or "").strip()
            where = _("Row %(n)s, %(output)s") % {"n": n, "output": name}
            if not cell:
                found.append(_("%(where)s: no value.") % {"where": where})
                continue
            try:
                kind = expressions.result_type(expressions.compile_expression(cell, ctx))
            except ExpressionError as exc:
                found.append(f"{where}: {exc}")
                continue
            if kind not in (T.STRING, T.UNDEFINED):
                found.append(
                    _("%(where)s: it gives %(kind)s, not text.")
                    % {"where": where, "kind": _kind(kind)}
                )
        extra = sorted(set(then) - set(outputs))
        if extra:
            found.append(
                _("Row %(n)s: unknown outputs %(names)s.") % {"n": n, "names": ", ".join(extra)}
            )
    if rows and not any(isinstance(r, dict) and not str(r.get("when") or "").strip() for r in rows):
        found.append(_("No row without a condition: some cases would get no decision."))
    return found


def _kind(kind: Any) -> str:
    names = {T.FLOAT: _("a number"), T.BOOLEAN: _("a yes-or-no value"), T.STRING: _("a text")}
    return str(names.get(kind, _("a list or another kind of value")))


@dataclass
class Compiled:
    inputs: dict[str, dict[str, Any]]
    outputs: dict[str, dict[str, Any]]
    rows: list[tuple[Any | None, dict[str, Any]]]  # compiled rules of rules.expressions


def compiled_table(
    key: Any,
    inputs: dict[str, dict[str, Any]],
    outputs: dict[str, dict[str, Any]],
    rows: list[Any],
) -> Compiled:
    """The table of a published version, compiled once: kept by `key` (the version's id) and a
    hash of its content in the expressions' cache that flows share."""
    content = expressions.content_hash(
        json.dumps([inputs, outputs, rows], sort_keys=True, default=str)
    )
    return expressions.cached(("rules", key, content), lambda: compile_table(inputs, outputs, rows))


def compile_table(
    inputs: dict[str, dict[str, Any]], outputs: dict[str, dict[str, Any]], rows: list[Any]
) -> Compiled:
    """Raises RuleError when an expression does not compile (a table stored before the bounds,
    or written to the database directly)."""
    ctx = context(inputs)
    compiled = []
    for n, row in enumerate(rows, 1):
        try:
            when = str(row.get("when") or "").strip()
            cells = {
                name: expressions.compile_expression(str(row["then"][name]), ctx)
                for name in outputs
            }
            compiled.append((expressions.compile_expression(when, ctx) if when else None, cells))
        except ExpressionError as exc:
            raise RuleError(_("Row %(n)s: %(error)s") % {"n": n, "error": exc}) from None
        except (AttributeError, KeyError, TypeError):
            raise RuleError(_("Row %(n)s is not a row.") % {"n": n}) from None
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


NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?")


def _typed(value: Any, kind: str) -> Any:
    """A value of the input's kind, from the console's text or from the caller's Python value;
    what cannot be one is returned as it is, for `input_error` to name."""
    if kind == "number" and isinstance(value, str):
        text = value.strip()
        return float(text) if NUMBER.fullmatch(text) else value
    if kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if kind == "boolean" and isinstance(value, str):
        text = value.strip().lower()
        return True if text in TRUE else False if text in FALSE else value
    if kind == "list" and isinstance(value, str):
        return tuple(item.strip() for item in value.split(",") if item.strip())
    if kind == "list" and isinstance(value, list | tuple):
        return tuple(v if isinstance(v, str) else str(v) for v in value)
    if kind == "string" and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def coerce(inputs: dict[str, dict[str, Any]], facts: dict[str, Any]) -> dict[str, Any]:
    """Only declared inputs, each of its declared type; a missing text is empty, any other
    missing input is null. Raises InputRefused naming every input that is not of its type or
    out of bounds (not finite, a NUL byte, too long)."""
    values: dict[str, Any] = {}
    refused: dict[str, list[str]] = {}
    for name, spec in inputs.items():
        value = facts.get(name)
        kind = spec.get("type", "string")
        if value is None or value == "":
            values[name] = EMPTY.get(kind)
            continue
        value = _typed(value, kind)
        if error := input_bounds.input_error(value, kind):
            refused[name] = [error]
        else:
            values[name] = value
    if refused:
        raise InputRefused(refused)
    return values


def decide(table: Compiled, facts: dict[str, Any]) -> Decision:
    """The first row whose condition holds decides. A row whose condition cannot be evaluated
    on these inputs (a null compared as a number, say) does not hold, and says why. The whole
    decision shares one time budget."""
    values = coerce(table.inputs, facts)
    trace: list[RowTrace] = []
    with expressions.budget():
        for n, (when, cells) in enumerate(table.rows, 1):
            try:
                holds = when is None or bool(expressions.evaluate(when, values))
            except ExpressionError as exc:
                trace.append(RowTrace(n, False, str(exc)))
                continue
            trace.append(RowTrace(n, holds))
            if not holds:
                continue
            try:
                outputs = {
                    name: str(expressions.evaluate(cell, values)) for name, cell in cells.items()
                }
            except ExpressionError as exc:
                raise RuleError(_("Row %(n)s: %(error)s") % {"n": n, "error": exc}) from None
            for name, value in outputs.items():
                choices = table.outputs[name].get("choices")
                if choices and value not in choices:
                    raise RuleError(
                        _("Row %(n)s: %(output)s %(value)s is not one of %(choices)s.")
                        % {
                            "n": n,
                            "output": name,
                            "value": repr(value),
                            "choices": ", ".join(choices),
                        }
                    )
            return Decision(outputs, n, trace)
    raise RuleError(_("No row holds for these inputs."))
