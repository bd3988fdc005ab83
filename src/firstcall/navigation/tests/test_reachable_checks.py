"""Auto-diagnosis runs a check only when the walk can reach its step (issue 10 §2): the checks
behind a step that waits for the caller's answer, or behind a branch the facts have ruled out,
are not started. The checks here are stand-ins that record their runs."""

import asyncio
import dataclasses
from typing import Any

import pytest

from firstcall.navigation import seeding
from firstcall.navigation.checks.registry import CHECKS
from firstcall.navigation.diagnosis import Diagnosis, _Checks, diagnose, reachable
from firstcall.navigation.validate import compiled

SPEC = seeding.load(seeding.SEED_DIR / "F-BB-678.yaml")[0]
HEALTHY = {
    "crm.broadband": {"bb_state": "active", "bb_access_type": "ADSL", "has_broadband": True},
    "alarms.broadband": {"alarm_count": 0},
    "nms.line_test": {"line_test_passed": True},
    "aaa.dial_attempts": {"dial_attempts": 0},
}


@pytest.fixture
def runs(monkeypatch) -> list[str]:
    """The checks of F-BB-678 answer HEALTHY's facts at once; each run is recorded."""
    started: list[str] = []
    for check_id, facts in HEALTHY.items():

        async def run(view: Any, check_id: str = check_id, facts: dict = facts) -> dict:
            started.append(check_id)
            await asyncio.sleep(0)
            return {**{k: None for k in CHECKS[check_id].facts}, **facts}

        monkeypatch.setitem(CHECKS, check_id, dataclasses.replace(CHECKS[check_id], run=run))
    return started


async def test_checks_behind_an_unanswered_question_are_not_started(runs):
    diagnosis = await diagnose(SPEC, None)  # type: ignore[arg-type]
    assert [v.step.id for v in diagnosis.path] == ["S1", "S2", "S3"]
    assert diagnosis.stopped == "needs_answer"
    assert sorted(runs) == ["alarms.broadband", "crm.broadband"]  # no line test, no dial log


async def test_the_callers_answers_open_only_their_branch(runs):
    answers = {"S3": "lights_ok", "G2": "still_678"}
    diagnosis = await diagnose(SPEC, None, answers)  # type: ignore[arg-type]
    assert diagnosis.terminal is not None and diagnosis.terminal.id == "E-FAULT-NET"
    assert sorted(runs) == ["aaa.dial_attempts", "alarms.broadband", "crm.broadband"]
    assert "nms.line_test" not in diagnosis.checks


async def test_a_walk_from_a_later_step_does_not_read_what_lies_behind_it(runs):
    diagnosis = await diagnose(SPEC, None, {"G3": "synced"}, start="S4")  # type: ignore[arg-type]
    assert [v.step.id for v in diagnosis.path] == ["S4", "G3", "E-SELF-SPLITTER"]
    assert runs == ["nms.line_test"]


def test_a_decided_step_closes_the_branches_it_did_not_take():
    answers = {"S3": "link_down"}
    checks = _Checks(None, Diagnosis(path=[], facts={}, failed={}))  # type: ignore[arg-type]
    before = reachable(SPEC, "S1", answers, checks, compiled(SPEC))
    assert sorted(before) == ["alarms.broadband", "crm.broadband", "nms.line_test"]
    checks.results["crm.broadband"] = {"bb_state": "expired"}
    checks.diagnosis.facts = {"bb_state": "expired"}
    assert reachable(SPEC, "S1", answers, checks, compiled(SPEC)) == ["crm.broadband"]
