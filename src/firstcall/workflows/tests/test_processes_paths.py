"""Every path of the seeded processes walked through the engine: each gateway's branches, the
return loops, the second tier, HQ's dispatch to two provinces with one returned. The run goes
through JSON and back between every two steps, as it does between two requests."""

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from firstcall.workflows import engine
from firstcall.workflows.tests.test_engine import jsonb

SEED = Path(engine.__file__).parent / "seed"
CODES = ("BO-MOBNET", "BO-COMPLAINT", "BO-FAULT")


def bpmn(code: str) -> str:
    return (SEED / f"{code}.bpmn").read_text(encoding="utf-8")


class Walk:
    """One instance of a seeded process, stored and read back after every step."""

    def __init__(self, code: str, **data: Any) -> None:
        self.spec = engine.spec_for(bpmn(code), f"test-seed-{code}")
        self.run = self._again(engine.start(self.spec, data))

    def _again(self, run: engine.Run) -> engine.Run:
        """Stored and read back as PostgreSQL's jsonb gives it (keys in its own order)."""
        return engine.restore(self.spec, jsonb(json.loads(json.dumps(run.serialize()))))

    def waiting(self) -> list[tuple[str, Any]]:
        return sorted(((t.spec, t.item) for t in self.run.ready()), key=str)

    def task(self, spec: str, item: Any = None) -> engine.TaskInfo:
        found = [t for t in self.run.ready() if t.spec == spec and t.item == item]
        assert len(found) == 1, (spec, item, self.waiting())
        return found[0]

    def act(self, spec: str, action: str, item: Any = None, **data: Any) -> "Walk":
        task = self.task(spec, item)
        assert action in task.properties["actions"].split(","), (spec, action)
        self.run.complete(task.id, {"action": action, **data})
        self.run = self._again(self.run)
        return self

    def then(self, *expected: str | tuple[str, Any]) -> "Walk":
        wanted = sorted(((e, None) if isinstance(e, str) else e for e in expected), key=str)
        assert self.waiting() == wanted
        assert not self.run.done()
        return self

    def ends(self) -> "Walk":
        assert self.run.done() and self.run.ready() == []
        return self


def test_the_manifest_lists_each_seeded_file_and_each_is_valid():
    manifest = yaml.safe_load((SEED / "manifest.yaml").read_text(encoding="utf-8"))
    listed = {p["code"]: p for p in manifest["processes"]}
    assert set(listed) == set(CODES)
    kinds = {code: p["ticket_kind"] for code, p in listed.items()}
    assert kinds == {"BO-MOBNET": "complaint", "BO-COMPLAINT": "complaint", "BO-FAULT": "fault"}
    for code, entry in listed.items():
        assert entry["file"] == f"{code}.bpmn" and entry["name_zh"] and entry["name_en"]
        assert engine.validate(bpmn(code), process_id=code) == [], code


@pytest.mark.parametrize("code", CODES)
def test_every_user_task_carries_its_properties_and_a_diagram_shape(code):
    text = bpmn(code)
    spec = engine.spec_for(text, f"test-seed-{code}")
    assert spec.process_id == code
    tasks = [s for s in spec.workflow_spec.task_specs.values() if type(s).__name__ == "UserTask"]
    for sub in spec.subprocess_specs.values():
        tasks += [s for s in sub.task_specs.values() if type(s).__name__ == "UserTask"]
    assert tasks
    for task in tasks:
        props = task.extensions["properties"]
        assert {"flow_role", "unit", "actions", "form", "status", "name_en"} <= set(props)
        assert props["status"] in {"accepting", "in_progress", "reviewing"}
        assert f'bpmnElement="{task.bpmn_id}"' in text


# ------------------------------------------------------------------------------- BO-MOBNET


def mobnet(**data: Any) -> Walk:
    return Walk("BO-MOBNET", **data).then("accept")


def test_mobnet_rejected_at_acceptance_ends():
    walk = mobnet().act("accept", "reject", reason="不属于本地市").ends()
    assert walk.run.completed() == ["accept"]
    assert "end_rejected" in walk.run.element_ids()


def test_mobnet_a_fault_goes_to_network_maintenance_then_review_reply_archive():
    walk = (
        mobnet(repeat_count=0, escalated=False)
        .act("accept", "accept")
        .then("analyse")
        .act("analyse", "dispatch", is_fault="yes", is_coverage="no")
        .then("handle_maintenance")
        .act("handle_maintenance", "feedback", cause="基站退服")
        .then("review")
        .act("review", "pass")
        .then("reply")
        .act("reply", "reply", customer_answered="yes")
        .then("archive")
        .act("archive", "archive", satisfaction="satisfied")
        .ends()
    )
    assert walk.run.completed() == [
        "accept",
        "analyse",
        "handle_maintenance",
        "review",
        "reply",
        "archive",
    ]
    assert walk.run.data["cause"] == "基站退服"
    taken = walk.run.element_ids()
    assert {"f_fault", "f_fed_back", "f_pass", "end"} <= set(taken)
    assert "handle_optimisation" not in taken


def test_mobnet_coverage_goes_to_optimisation_returned_once_and_failed_once():
    walk = (
        mobnet()
        .act("accept", "accept")
        .act("analyse", "dispatch", is_fault="no", is_coverage="yes")
        .then("handle_optimisation")
        .act("handle_optimisation", "return", reason="不是覆盖问题")
        .then("analyse")
        .act("analyse", "dispatch", is_fault="no", is_coverage="yes")
        .then("handle_optimisation")
        .act("handle_optimisation", "feedback")
        .then("review")
        .act("review", "fail", opinion="测试报告缺失")
        .then("handle_optimisation")
        .act("handle_optimisation", "feedback")
        .act("review", "pass")
        .act("reply", "reply")
        .act("archive", "archive")
        .ends()
    )
    assert walk.run.completed().count("handle_optimisation") == 3
    assert walk.run.completed().count("analyse") == 2


def test_mobnet_a_fault_failed_at_review_goes_back_to_network_maintenance():
    (
        mobnet()
        .act("accept", "accept")
        .act("analyse", "dispatch", is_fault="yes", is_coverage="yes")
        .then("handle_maintenance")
        .act("handle_maintenance", "feedback")
        .act("review", "fail")
        .then("handle_maintenance")
        .act("handle_maintenance", "feedback")
        .act("review", "pass")
        .then("reply")
    )


def test_mobnet_neither_fault_nor_coverage_is_handled_and_replied_by_the_interface_person():
    walk = (
        mobnet()
        .act("accept", "accept")
        .act("analyse", "dispatch", is_fault="no", is_coverage="no")
        .then("handle_self")
        .act("handle_self", "feedback", cause="终端问题")
        .then("reply")
        .act("reply", "reply")
        .act("archive", "archive")
        .ends()
    )
    assert "review" not in walk.run.completed()


@pytest.mark.parametrize(
    "data", [{"repeat_count": 1}, {"repeat_count": 3, "escalated": False}, {"escalated": True}]
)
def test_mobnet_a_repeat_or_escalated_complaint_goes_to_the_second_tier(data):
    walk = (
        mobnet(**data)
        .act("accept", "accept")
        .then("handle_t2")
        .act("handle_t2", "feedback")
        .act("review", "fail")
        .then("handle_t2")
        .act("handle_t2", "feedback")
        .act("review", "pass")
        .act("reply", "reply")
        .act("archive", "archive")
        .ends()
    )
    assert "analyse" not in walk.run.completed()
    assert walk.run.completed().count("handle_t2") == 2


def test_mobnet_the_tiers_are_named_on_the_handling_tasks():
    walk = mobnet(escalated=True).act("accept", "accept")
    assert walk.task("handle_t2").properties["tier"] == "T2"
    assert walk.task("handle_t2").properties["unit"] == "kind:complaint_centre@province"
    walk = mobnet().act("accept", "accept")
    assert walk.task("analyse").properties["tier"] == "T1"
    assert walk.task("analyse").properties["unit"] == "kind:operations_interface@city"


# ------------------------------------------------------------------------------- BO-FAULT


def test_fault_dispatched_to_network_maintenance_is_handled_and_closed():
    walk = (
        Walk("BO-FAULT", target="network_maintenance", target_unit=51)
        .then("dispatch")
        .act("dispatch", "dispatch")
        .then("handle_network")
        .act("handle_network", "feedback", cause="光缆中断", measures="熔接")
        .then("close")
        .act("close", "archive", customer_answered="yes")
        .ends()
    )
    assert walk.run.completed() == ["dispatch", "handle_network", "close"]
    assert {"f_network", "f_closed"} <= set(walk.run.element_ids())


def test_fault_handlers_go_to_the_unit_routing_chose():
    walk = Walk("BO-FAULT", target="field_maintenance", target_unit=52).act("dispatch", "dispatch")
    assert walk.task("handle_field").properties["unit"] == "var:target_unit"


def test_fault_to_field_maintenance_returned_then_reopened_at_closing():
    walk = (
        Walk("BO-FAULT", target="field_maintenance", target_unit=52)
        .act("dispatch", "dispatch")
        .then("handle_field")
        .act("handle_field", "return", reason="非本专业")
        .then("dispatch")
        .act("dispatch", "dispatch", target="network_maintenance", target_unit=51)
        .then("handle_network")
        .act("handle_network", "feedback")
        .act("close", "return", reason="用户反映仍未恢复")
        .then("handle_network")
        .act("handle_network", "feedback")
        .act("close", "archive")
        .ends()
    )
    assert walk.run.data["target_unit"] == 51


# ------------------------------------------------------------------------------- BO-COMPLAINT


def test_complaint_from_headquarters_to_two_provinces_with_one_returned():
    walk = (
        Walk("BO-COMPLAINT", span="headquarters")
        .then("hq_dispatch")
        .act("hq_dispatch", "dispatch", targets=[21, 22])
        .then(("province_handle", 21), ("province_handle", 22))
        .act("province_handle", "feedback", item=22, cause="二十二")
        .then(("province_handle", 21), ("hq_review", 22))
        .act("hq_review", "return", item=22, reason="回复不完整")
        .then(("province_handle", 21), ("province_handle", 22))
        .act("province_handle", "feedback", item=21)
        .act("hq_review", "pass", item=21)
        .then(("province_handle", 22))
        .act("province_handle", "feedback", item=22)
        .act("hq_review", "pass", item=22)
        .then("hq_close")
        .act("hq_close", "reply")
        .then("quality")
        .act("quality", "fail", opinion="回复口径不当")
        .then("hq_close")
        .act("hq_close", "reply")
        .act("quality", "pass")
        .then("archive")
        .act("archive", "archive", satisfaction="satisfied")
        .ends()
    )
    done = walk.run.completed()
    assert done.count("province_handle") == 3 and done.count("hq_review") == 3
    assert done.count("quality") == 2
    assert "province" not in walk.run.data
    assert {"provinces_work", "province_handle", "p_f_return", "f_hq_close"} <= set(
        walk.run.element_ids()
    )


def test_the_province_tasks_go_to_the_province_of_their_instance():
    walk = Walk("BO-COMPLAINT", span="headquarters").act("hq_dispatch", "dispatch", targets=[7, 8])
    units = {(t.properties["unit"], t.item) for t in walk.run.ready()}
    assert units == {("var:province", 7), ("var:province", 8)}


def test_complaint_across_provinces_is_raised_dispatched_replied_and_closed_by_the_raiser():
    walk = (
        Walk("BO-COMPLAINT", span="cross_province")
        .then("raise")
        .act("raise", "dispatch")
        .then("hq_dispatch")
        .act("hq_dispatch", "dispatch", targets=[23])
        .then(("province_handle", 23))
        .act("province_handle", "feedback", item=23)
        .act("hq_review", "pass", item=23)
        .then("hq_reply")
        .act("hq_reply", "reply")
        .then("origin_close")
        .act("origin_close", "reply")
        .act("quality", "fail")
        .then("origin_close")
        .act("origin_close", "reply")
        .act("quality", "pass")
        .act("archive", "archive")
        .ends()
    )
    assert "hq_close" not in walk.run.completed()


@pytest.mark.parametrize("span", ["province", "city", None])
def test_complaint_within_a_province_goes_to_its_units_and_the_province_closes(span):
    walk = (
        Walk("BO-COMPLAINT", span=span)
        .then("province_dispatch")
        .act("province_dispatch", "dispatch", targets=[31, 32])
        .then(("unit_handle", 31), ("unit_handle", 32))
        .act("unit_handle", "feedback", item=31)
        .act("province_review", "return", item=31)
        .then(("unit_handle", 31), ("unit_handle", 32))
        .act("unit_handle", "feedback", item=32)
        .act("province_review", "pass", item=32)
        .act("unit_handle", "feedback", item=31)
        .act("province_review", "pass", item=31)
        .then("province_close")
        .act("province_close", "reply")
        .act("quality", "fail")
        .then("province_close")
        .act("province_close", "reply")
        .act("quality", "pass")
        .act("archive", "archive")
        .ends()
    )
    assert walk.run.completed().count("unit_handle") == 3
    assert "unit" not in walk.run.data


def test_a_cancelled_complaint_waits_for_nobody():
    walk = Walk("BO-COMPLAINT", span="headquarters").act("hq_dispatch", "dispatch", targets=[1])
    walk.run.cancel()
    walk.run = walk._again(walk.run)
    walk.ends()
