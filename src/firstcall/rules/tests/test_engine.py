"""Decision tables: what keeps one from being published, and how the first row that holds
decides."""

import pytest
from django.utils import translation

from firstcall.rules.engine import InputRefused, RuleError, compile_table, decide, problems


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):  # the messages below are the English msgids
        yield


INPUTS = {
    "kind": {"type": "string"},
    "repeat_count": {"type": "number"},
    "vip": {"type": "boolean"},
    "tags": {"type": "list"},
}
OUTPUTS = {"group": {}, "priority": {"choices": ["normal", "high"]}}
ROWS = [
    {
        "when": 'kind == "complaint" and repeat_count >= 1',
        "then": {"group": '"T2"', "priority": '"high"'},
    },
    {"when": "vip", "then": {"group": 'kind + "-vip"', "priority": '"high"'}},
    {"when": '"fibre" in tags', "then": {"group": '"装维"', "priority": '"normal"'}},
    {"when": "", "then": {"group": '"客服"', "priority": 'repeat_count > 2 ? "high" : "normal"'}},
]


def table():
    assert problems(INPUTS, OUTPUTS, ROWS) == []
    return compile_table(INPUTS, OUTPUTS, ROWS)


@pytest.mark.parametrize(
    ("facts", "row", "outputs"),
    [
        ({"kind": "complaint", "repeat_count": 1}, 1, {"group": "T2", "priority": "high"}),
        (
            {"kind": "fault", "repeat_count": 3, "vip": True},
            2,
            {"group": "fault-vip", "priority": "high"},
        ),
        (
            {"kind": "fault", "repeat_count": 0, "tags": ["fibre"]},
            3,
            {"group": "装维", "priority": "normal"},
        ),
        ({"kind": "fault", "repeat_count": 3}, 4, {"group": "客服", "priority": "high"}),
        ({"kind": "complaint", "repeat_count": "0"}, 4, {"group": "客服", "priority": "normal"}),
    ],
)
def test_the_first_row_that_holds_decides(facts, row, outputs):
    decision = decide(table(), facts)
    assert (decision.row, decision.outputs) == (row, outputs)
    assert [t.matched for t in decision.trace] == [n == row for n in range(1, row + 1)]


def test_a_row_that_cannot_be_evaluated_does_not_hold_and_says_why():
    decision = decide(table(), {"kind": "complaint", "vip": True})  # repeat_count is null
    assert decision.trace[0].error and not decision.trace[0].matched
    assert decision.row == 2 and decision.trace[1].matched


def test_a_cell_that_cannot_be_evaluated_refuses_to_decide():
    with pytest.raises(RuleError, match="Row 4"):
        decide(table(), {"kind": "fault"})  # the catch-all's priority compares a null


def test_a_decided_value_outside_the_outputs_choices_is_refused():
    rows = [{"when": "", "then": {"group": '"x"', "priority": '"whenever"'}}]
    with pytest.raises(RuleError, match="whenever"):
        decide(compile_table(INPUTS, OUTPUTS, rows), {})


def test_an_input_of_the_wrong_type_is_refused():
    with pytest.raises(InputRefused) as refused:
        decide(table(), {"kind": "fault", "repeat_count": "many"})
    assert refused.value.errors == {"repeat_count": ["Not a number."]}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            {"when": "kind ==", "then": {"group": '"a"', "priority": '"normal"'}},
            "condition: The expression ends too early.",
        ),
        (
            {"when": "repeat_count + 1", "then": {"group": '"a"', "priority": '"normal"'}},
            "not true or false",
        ),
        ({"when": "kind > 3", "then": {"group": '"a"', "priority": '"normal"'}}, "condition:"),
        (
            {"when": "nobody == 1", "then": {"group": '"a"', "priority": '"normal"'}},
            "Unknown name nobody.",
        ),
        ({"when": "vip", "then": {"group": "repeat_count", "priority": '"normal"'}}, "not text"),
        ({"when": "vip", "then": {"group": '"a"'}}, "Row 1, priority: no value."),
        (
            {"when": "vip", "then": {"group": '"a"', "priority": '"normal"', "boss": '"x"'}},
            "unknown outputs boss",
        ),
    ],
)
def test_a_table_with_a_bad_cell_is_not_publishable(row, expected):
    found = problems(INPUTS, OUTPUTS, [row, ROWS[-1]])
    assert any(expected in p and p.startswith("Row 1") for p in found), found


def test_a_table_without_a_catch_all_row_is_not_publishable():
    assert any("No row without a condition" in p for p in problems(INPUTS, OUTPUTS, ROWS[:3]))
    assert "The table has no rows." in problems(INPUTS, OUTPUTS, [])


@pytest.mark.parametrize(
    "text",
    [
        '__import__("os").system("true")',
        "kind.__class__",
        'exec("1")',
        'open("/etc/passwd")',
    ],
)
def test_an_admin_typed_cell_cannot_run_code(text):
    row = {"when": text, "then": {"group": text, "priority": '"normal"'}}
    found = problems(INPUTS, OUTPUTS, [row, ROWS[-1]])
    assert any(p.startswith("Row 1, condition") for p in found), found
    assert any(p.startswith("Row 1, group") for p in found), found


def test_a_published_table_is_compiled_once_and_again_when_its_content_changes(monkeypatch):
    from firstcall.rules import engine, expressions

    expressions.cache_clear()
    compiles: list[str] = []
    real = expressions.compile_expression
    monkeypatch.setattr(
        expressions, "compile_expression", lambda t, c: compiles.append(t) or real(t, c)
    )
    inputs = {"x": {"type": "number"}}
    outputs = {"y": {}}
    rows = [{"when": "x > 1", "then": {"y": '"big"'}}, {"when": "", "then": {"y": '"small"'}}]
    table = engine.compiled_table(3, inputs, outputs, rows)
    assert engine.compiled_table(3, inputs, outputs, rows) is table
    assert engine.decide(table, {"x": 2}).outputs == {"y": "big"}
    assert len(compiles) == 3
    rows[0]["when"] = "x > 5"
    assert engine.compiled_table(3, inputs, outputs, rows) is not table
    assert len(compiles) == 6
