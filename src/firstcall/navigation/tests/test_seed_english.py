"""Every seeded flow carries English texts next to its Chinese ones: the step names, what the agent
does, the suggested replies and the worded branches; they survive the BPMN round trip, and the
flow shown in English or in zh-hans gives the texts of that language."""

import re

import pytest

from firstcall.navigation import seeding
from firstcall.navigation.spec import FlowSpec, from_bpmn, to_bpmn

CJK = re.compile(r"[\u4e00-\u9fff]")
SEEDS = seeding.seed_files()


def english_problems(spec: FlowSpec) -> list[str]:
    """What the flow lacks in English, or English texts that still hold Chinese, one line each
    naming the flow and the step (and the branch's target)."""
    found = []

    def check(where: str, key: str, zh: str, en: str) -> None:
        if zh and not en:
            found.append(f"{where}: {key} missing")
        elif CJK.search(en):
            found.append(f"{where}: {key} has Chinese: {en!r}")

    if CJK.search(spec.name_en) or not spec.name_en:
        found.append(f"{spec.code}: name_en missing or Chinese: {spec.name_en!r}")
    for step in spec.steps.values():
        where = f"{spec.code}/{step.id}"
        check(where, "name_en", step.name or step.id, step.name_en)
        check(where, "do_en", step.do, step.do_en)
        check(where, "reply_en", step.reply, step.reply_en)
        for n, branch in enumerate(step.branches):
            check(f"{where} -> {branch.target} (#{n})", "label_en", branch.label, branch.label_en)
    return found


def test_there_are_seed_files():
    assert len(SEEDS) == 15


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_a_seed_file_has_english_for_every_text(path):
    spec = seeding.load(path)[0]
    problems = english_problems(spec)
    assert problems == [], "\n".join(problems)


def test_the_check_reports_a_missing_or_chinese_english_text():
    spec = seeding.load(seeding.SEED_DIR / "F-BB-651.yaml")[0]
    assert english_problems(spec) == []
    spec.steps["S1"].do_en = ""
    spec.steps["E-PAY"].reply_en = ""
    spec.steps["G3"].name_en = ""
    spec.steps["S2"].branches[0].label_en = ""
    spec.steps["S3"].branches[1].label_en = "PON灯闪烁"
    assert english_problems(spec) == [
        "F-BB-651/S1: do_en missing",
        "F-BB-651/S2 -> E-MASS (#0): label_en missing",
        "F-BB-651/S3 -> S5 (#1): label_en has Chinese: 'PON灯闪烁'",
        "F-BB-651/G3: name_en missing",
        "F-BB-651/E-PAY: reply_en missing",
    ]


def test_a_seed_file_without_an_english_key_fails_the_check(tmp_path):
    source = seeding.SEED_DIR / "F-MOB-VAS.yaml"
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    dropped = [line for line in lines if not line.lstrip().startswith("do_en:")]
    assert len(dropped) < len(lines)
    copy = tmp_path / source.name
    copy.write_text("".join(dropped), encoding="utf-8")
    problems = english_problems(seeding.load(copy)[0])
    assert "F-MOB-VAS/S1: do_en missing" in problems


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_the_english_survives_the_bpmn_round_trip_and_is_shown_by_language(path):
    spec = seeding.load(path)[0]
    back = from_bpmn(to_bpmn(spec))
    assert back.name_en == spec.name_en
    en, zh = back.localized("en"), back.localized("zh-hans")
    assert (en.name, zh.name) == (spec.name_en, spec.name)
    labelled = 0
    for step_id, step in spec.steps.items():
        again = back.steps[step_id]
        assert (again.name_en, again.do_en, again.reply_en) == (
            step.name_en,
            step.do_en,
            step.reply_en,
        ), step_id
        shown_en, shown_zh = en.steps[step_id], zh.steps[step_id]
        assert (shown_en.name, shown_en.do, shown_en.reply) == (
            step.name_en,
            step.do_en,
            step.reply_en,
        ), step_id
        assert (shown_zh.name, shown_zh.do, shown_zh.reply) == (step.name, step.do, step.reply)
        assert (shown_en.check, shown_en.action, shown_en.ticket_to) == (
            step.check,
            step.action,
            step.ticket_to,
        ), step_id
        for branch, b_en, b_zh in zip(
            step.branches, shown_en.branches, shown_zh.branches, strict=True
        ):
            assert (b_en.target, b_en.condition, b_en.answer) == (
                branch.target,
                branch.condition,
                branch.answer,
            )
            assert (b_en.label, b_zh.label) == (branch.label_en, branch.label), step_id
            labelled += bool(branch.label)
    assert labelled, path.stem
    # The Chinese and the English of a worded step really differ.
    assert any(
        en.steps[s].name != zh.steps[s].name and CJK.search(zh.steps[s].name) for s in spec.steps
    )
