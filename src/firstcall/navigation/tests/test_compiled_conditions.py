"""A flow's conditions are compiled once per published version (issue 10 §2): kept by the
version's id and content hash, shared by every walk and every step that follows a branch."""

from typing import Any

import pytest

from firstcall.navigation import runtime, seeding
from firstcall.navigation.diagnosis import walk
from firstcall.navigation.models import FlowVersion, NavigationSession
from firstcall.navigation.spec import to_bpmn
from firstcall.navigation.validate import compiled, texts
from firstcall.rules import expressions

FACTS = {"bb_state": "active", "aaa_exists": True, "aaa_state": "active", "auth_reason": "密码错"}


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    """Every condition compiled from now on."""
    expressions.cache_clear()
    seen: list[str] = []
    real = expressions.compile_expression

    def counting(text: str, ctx: Any) -> Any:
        seen.append(text)
        return real(text, ctx)

    monkeypatch.setattr(expressions, "compile_expression", counting)
    return seen


def spec691():
    return seeding.load(seeding.SEED_DIR / "F-BB-691.yaml")[0]


def session_on(pk: int, bpmn: str) -> NavigationSession:
    return NavigationSession(version=FlowVersion(pk=pk, bpmn=bpmn))


def test_walks_compile_each_condition_of_the_flow_once(compiles):
    spec = spec691()
    first = walk(spec, FACTS, {})
    assert [v.step.id for v in first.path] == ["S1", "S2", "S3", "S4", "S5"]
    assert sorted(compiles) == sorted(set(texts(spec)))  # all of them, each once, up front
    compiles.clear()
    for _ in range(3):
        walk(spec, FACTS, {})
        walk(spec691(), FACTS, {})  # the same content read again: the same key
    assert compiles == []
    assert compiled(spec) is compiled(spec691())


def test_a_version_is_kept_by_its_id_and_content(compiles):
    bpmn = to_bpmn(spec691())
    one = runtime.spec_of(session_on(7, bpmn))
    assert one is not None and one is runtime.spec_of(session_on(7, bpmn))
    assert compiled(one) is compiled(one)
    changed = spec691()
    changed.steps["S2"].branches[0].condition = 'bb_state == "expired"'
    other = runtime.spec_of(session_on(7, to_bpmn(changed)))  # the id came back, not the content
    assert other is not None and other.key != one.key
    assert compiled(other) is not compiled(one)
    assert compiles.count('bb_state == "expired"') == 1


def test_the_flow_on_the_agents_screen_shares_the_compiled_conditions(compiles):
    bpmn = to_bpmn(spec691())
    shown = runtime.display_spec(session_on(8, bpmn))
    assert shown is not None
    assert compiled(shown) is compiled(runtime.spec_of(session_on(8, bpmn)))  # type: ignore[arg-type]
