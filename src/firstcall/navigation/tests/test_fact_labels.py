"""Every fact a check yields, every end action and every platform command of the seeded flows has
a name in the interface language, so none reaches the agent as a code."""

from django.utils import translation

from firstcall.customers.display import COMMANDS
from firstcall.navigation import seeding
from firstcall.navigation.checks.registry import CHECKS, fact_types
from firstcall.navigation.fact_labels import END_ACTIONS, FACT_LABELS, fact_value


def test_every_fact_has_a_chinese_name():
    assert CHECKS, "no checks registered"
    missing = sorted(set(fact_types()) - set(FACT_LABELS))
    assert missing == []
    with translation.override("zh-hans"):
        untranslated = [k for k, v in FACT_LABELS.items() if str(v).isascii()]
    assert untranslated == []


def test_every_seeded_end_action_and_command_has_a_name():
    actions: set[str] = set()
    for path in seeding.seed_files():
        spec, _meta = seeding.load(path)
        actions |= {s.action for s in spec.steps.values() if s.action}
    assert sorted(a for a in actions if "." not in a and a not in END_ACTIONS) == []
    assert sorted(a for a in actions if "." in a and a not in COMMANDS) == []


def test_a_facts_own_words_come_before_the_platform_words():
    with translation.override("zh-hans"):
        assert str(fact_value("pts_fail_kind", "balance")) == "积分不足"
        assert str(fact_value("order_state", "in_progress")) == "处理中"
        assert fact_value("alarm_count", 0.0) == 0
