"""A walk that stops because no branch holds says where and on what (issue 10 §5): the step, and
the facts its conditions named with their values, in the interface language."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from firstcall.core.errors import ValidationFailed
from firstcall.navigation import flowpanel, runtime, seeding
from firstcall.navigation.checks.registry import fact_types
from firstcall.navigation.diagnosis import Stop, evaluated, stop_at, walk
from firstcall.navigation.fact_labels import FACT_LABELS, facts_sentence
from firstcall.navigation.tests.test_calls import agent_ctx, start_call

SPEC = seeding.load(seeding.SEED_DIR / "F-BB-691.yaml")[0]
# CRM gave no broadband state: no condition of S2 holds on it.
NO_STATE = {"bb_state": None, "has_broadband": True}


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_fact_a_check_declares_has_a_label():
    assert set(fact_types()) <= set(FACT_LABELS)


def test_a_walk_without_a_branch_stops_at_the_step_and_names_the_facts_it_evaluated():
    diagnosis = walk(SPEC, NO_STATE, {})
    assert diagnosis.stopped == "no_branch" and diagnosis.last.id == "S2"
    assert diagnosis.stop is not None and diagnosis.stop.step.id == "S2"
    assert diagnosis.stop.facts == {"bb_state": None}
    assert walk(SPEC, {**NO_STATE, "bb_state": "expired"}, {}).stop is None


def test_only_steps_the_data_decides_stop_on_facts():
    assert stop_at(SPEC, SPEC.steps["S2"], NO_STATE) is not None
    assert stop_at(SPEC, SPEC.steps["S2"], {"bb_state": "active"}) is None
    assert stop_at(SPEC, SPEC.steps["S5"], {}) is None  # waits for the caller's answer
    assert stop_at(SPEC, SPEC.steps["E-PAY"], {}) is None
    # names inside quoted texts are not facts
    assert list(evaluated(SPEC.steps["S4"], {})) == [
        "auth_reason",
        "auth_any",
        "auth_last_accepted",
    ]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "zh-hans",
            ["在步骤「查AAA账号与状态」没有条件成立", "AAA 账号存在 = 是", "—", "与客户确认"],
        ),
        ("en", ["No condition held at the step “Check AAA account and status”", "= yes"]),
    ],
)
def test_the_agents_screen_says_where_and_on_what_in_its_language(language, words):
    with translation.override(language):
        shown = SPEC.localized(language)
        html = render_to_string(
            "navigation/partials/walk_stopped.html",
            {"stop": Stop(shown.steps["S3"], {"aaa_exists": True, "aaa_state": None})},
        )
    text = visible(html)
    for word in words:
        assert word in text, text
    assert "aaa_state" not in text and "True" not in text and "None" not in text


def test_facts_read_as_a_sentence():
    with translation.override("en"):
        sentence = facts_sentence({"bb_state": "arrears_stopped", "alarm_count": 0.0})
    assert sentence == "Broadband state in CRM = stopped for arrears, Active alarms = 0"


@pytest.mark.django_db
def test_following_a_step_no_branch_of_which_holds_says_where_and_on_what():
    ctx = agent_ctx()
    session = runtime.follow(ctx, start_call(ctx), {})  # S1 has one branch
    assert session.current_step == "S2"
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        runtime.follow(ctx, session, NO_STATE)
    (message,) = refused.value.errors["step"]
    assert "“Check broadband status in CRM”" in message
    assert "Broadband state in CRM = —" in message and "bb_state" not in message


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["current step", "proposal"])
def test_the_flow_panel_shows_where_the_walk_stopped(where):
    ctx = agent_ctx()
    session = runtime.follow(ctx, start_call(ctx), {})  # at S2, which decides on bb_state
    with translation.override("zh-hans"):
        if where == "current step":
            context = flowpanel.flow_context(session, facts=dict(NO_STATE))
        else:
            context = flowpanel.flow_context(session, proposal=walk(SPEC, NO_STATE, {}, start="S2"))
        html = render_to_string("navigation/partials/flow.html", context)
    assert html.count('data-testid="walk-stopped"') == 1
    assert 'data-step="S2"' in html
    assert "在步骤「查CRM宽带产品状态」没有条件成立" in visible(html)
    assert "CRM 宽带状态 = —" in visible(html)
    healthy = flowpanel.flow_context(session, facts={"bb_state": "active"})
    assert "walk-stopped" not in render_to_string("navigation/partials/flow.html", healthy)
