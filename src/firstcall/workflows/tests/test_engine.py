"""The process engine on small documents: a run to its end through serialize and restore,
conditions evaluated by rule-engine, and what `validate` refuses (scripts, Python in a condition,
a gateway without a default, an element nobody reaches, a user task without its properties)."""

import json
import re
from typing import Any

import pytest

from firstcall.workflows import engine

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs" '
    'targetNamespace="https://firstcall.example/bpmn">'
    '<bpmn:process id="TINY" isExecutable="true">'
)
TAIL = "</bpmn:process></bpmn:definitions>"


def user_task(element: str, name: str, actions: str, unit: str = "ticket", extra: str = "") -> str:
    return (
        f'<bpmn:userTask id="{element}" name="{name}"><bpmn:extensionElements>'
        "<spiffworkflow:properties>"
        '<spiffworkflow:property name="flow_role" value="dispatcher"/>'
        f'<spiffworkflow:property name="unit" value="{unit}"/>'
        f'<spiffworkflow:property name="actions" value="{actions}"/>'
        '<spiffworkflow:property name="name_en" value="Step"/>'
        f"</spiffworkflow:properties></bpmn:extensionElements>{extra}</bpmn:userTask>"
    )


def flow(element: str, source: str, target: str, condition: str = "") -> str:
    body = f"<bpmn:conditionExpression>{condition}</bpmn:conditionExpression>" if condition else ""
    return (
        f'<bpmn:sequenceFlow id="{element}" sourceRef="{source}" targetRef="{target}">'
        f"{body}</bpmn:sequenceFlow>"
    )


LOOP = (
    "<bpmn:multiInstanceLoopCharacteristics>"
    "<bpmn:loopDataInputRef>provinces</bpmn:loopDataInputRef>"
    '<bpmn:inputDataItem id="province" name="province"/>'
    "</bpmn:multiInstanceLoopCharacteristics>"
)


def tiny(condition: str = 'action == "accept"', default: str = ' default="f4"') -> str:
    """受理 → gateway: accepted → 处理 (one per province, in parallel) → end; else end."""
    return (
        HEAD
        + '<bpmn:startEvent id="start"/>'
        + flow("f1", "start", "accept")
        + user_task("accept", "受理", "accept,reject")
        + flow("f2", "accept", "gw")
        + f'<bpmn:exclusiveGateway id="gw"{default}/>'
        + flow("f3", "gw", "handle", condition)
        + flow("f4", "gw", "end")
        + user_task("handle", "处理", "feedback", unit="var:province", extra=LOOP)
        + flow("f5", "handle", "end")
        + '<bpmn:endEvent id="end"/>'
        + TAIL
    )


def jsonb(value: Any) -> Any:
    """`value` as PostgreSQL's jsonb gives it back: an object's keys in jsonb's order (shorter
    first, then by bytes), not the order they were written in."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
        return {k: jsonb(value[k]) for k in keys}
    if isinstance(value, list):
        return [jsonb(v) for v in value]
    return value


def again(spec: engine.Spec, run: engine.Run) -> engine.Run:
    """The run through JSON and back, as it is stored between two requests (on PostgreSQL, its
    objects' keys in another order; read back in reverse as well, for good measure)."""
    state = json.loads(json.dumps(run.serialize()))
    engine.restore(spec, reverse_keys(state)).ready()
    return engine.restore(spec, jsonb(state))


def reverse_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: reverse_keys(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [reverse_keys(v) for v in value]
    return value


def test_a_tiny_process_runs_to_its_end_through_serialize_and_restore():
    spec = engine.spec_for(tiny(), "tiny-1")
    run = again(spec, engine.start(spec, {"provinces": [11, 12]}))
    (accept,) = run.ready()
    assert (accept.spec, accept.name, accept.item) == ("accept", "受理", None)
    assert accept.properties == {
        "flow_role": "dispatcher",
        "unit": "ticket",
        "actions": "accept,reject",
        "name_en": "Step",
    }
    run.complete(accept.id, {"action": "accept"})
    run = again(spec, run)
    handles = run.ready()
    assert [(t.spec, t.item) for t in handles] == [("handle", 11), ("handle", 12)]
    run.complete(handles[1].id, {"action": "feedback", "note": "twelve"})
    run = again(spec, run)
    assert [t.item for t in run.ready()] == [11]
    assert not run.done()
    run.complete(run.ready()[0].id, {"action": "feedback"})
    run = again(spec, run)
    assert run.done() and run.ready() == []
    assert run.completed() == ["accept", "handle", "handle"]
    assert run.data["note"] == "twelve" and "province" not in run.data
    taken = run.element_ids()
    assert sorted(taken) == ["accept", "end", "f1", "f2", "f3", "f5", "gw", "handle", "start"]
    assert len(taken) == len(set(taken))


def test_the_default_flow_is_taken_when_no_condition_holds():
    spec = engine.spec_for(tiny(), "tiny-1")
    run = engine.start(spec, {"provinces": [11]})
    run.complete(run.ready()[0].id, {"action": "reject"})
    assert run.done() and run.completed() == ["accept"]
    assert "handle" not in run.element_ids() and "f4" in run.element_ids()


def test_a_task_that_is_not_ready_is_refused():
    spec = engine.spec_for(tiny(), "tiny-1")
    run = engine.start(spec, {"provinces": [11]})
    accept = run.ready()[0]
    run.complete(accept.id, {"action": "accept"})
    with pytest.raises(engine.TaskNotReady):
        run.complete(accept.id, {"action": "accept"})
    with pytest.raises(engine.TaskNotReady):
        run.complete("not-a-uuid", {})


def test_cancel_ends_the_run_with_nothing_waiting():
    spec = engine.spec_for(tiny(), "tiny-1")
    run = engine.start(spec, {"provinces": [11]})
    run.cancel()
    run = again(spec, run)
    assert run.done() and run.ready() == []


def problems_at(bpmn: str) -> dict[str, str]:
    return {p.element: p.message for p in engine.validate(bpmn)}


def test_a_valid_document_has_no_problems():
    assert engine.validate(tiny()) == []
    assert engine.validate(tiny(), process_id="TINY") == []
    assert set(problems_at(tiny()) | problems_at("")) == {""}


def test_a_document_for_another_process_is_refused():
    assert list(problems_at_process(tiny(), "BO-FAULT")) == ["TINY"]


def problems_at_process(bpmn: str, process_id: str) -> dict[str, str]:
    return {p.element: p.message for p in engine.validate(bpmn, process_id=process_id)}


@pytest.mark.parametrize(
    "bpmn",
    [
        "",
        "not xml",
        "<a/>",
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&x;'
        "</bpmn:definitions>",
        HEAD.replace('<bpmn:process id="TINY" isExecutable="true">', "") + "</bpmn:definitions>",
    ],
    ids=["empty", "text", "not-bpmn", "entity", "no-process"],
)
def test_a_document_that_cannot_be_read_is_refused_at_the_document(bpmn):
    (problem,) = engine.validate(bpmn)
    assert problem.element == ""
    assert "passwd" not in problem.message and "root:" not in problem.message


def test_a_script_task_is_refused_at_its_element():
    bpmn = tiny().replace(
        flow("f5", "handle", "end"),
        flow("f5", "handle", "s")
        + '<bpmn:scriptTask id="s" scriptFormat="python"><bpmn:script>import os</bpmn:script>'
        + "</bpmn:scriptTask>"
        + flow("f6", "s", "end"),
    )
    assert "s" in problems_at(bpmn)
    with pytest.raises(engine.DefinitionError) as caught:
        engine.spec_for(bpmn, "script-task")
    assert "s" in {p.element for p in caught.value.problems}


def test_a_pre_or_post_script_on_a_user_task_is_refused():
    for tag in ("preScript", "postScript"):
        bpmn = tiny().replace(
            "</spiffworkflow:properties>",
            f"</spiffworkflow:properties><spiffworkflow:{tag}>x = 1</spiffworkflow:{tag}>",
            1,
        )
        assert "accept" in problems_at(bpmn), tag


@pytest.mark.parametrize(
    "condition",
    [
        "__import__('os').system('true')",
        "action == 'accept' if True else False",
        "open('/etc/passwd')",
        'action.__class__ == "x"',
    ],
)
def test_a_python_condition_is_refused(condition):
    assert "f3" in problems_at(tiny(condition))


def test_a_condition_over_an_unknown_name_or_the_wrong_type_is_refused():
    assert "f3" in problems_at(tiny('verdict == "yes"'))
    assert "f3" in problems_at(tiny('repeat_count > "one"'))
    assert "f3" in problems_at(tiny("repeat_count + 1"))  # a number, not yes or no


def test_a_name_the_caller_declares_may_be_read():
    bpmn = tiny('verdict == "yes"')
    assert engine.validate(bpmn, types={"verdict": engine.TYPES.STRING}) == []


def test_a_gateway_without_a_default_is_refused():
    assert set(problems_at(tiny(default=""))) == {"gw", "f4"}


def test_a_flow_without_a_condition_out_of_a_gateway_is_refused():
    assert "f3" in problems_at(tiny(condition="", default=' default="f4"'))


def test_an_element_nobody_reaches_is_refused():
    bpmn = tiny().replace(
        '<bpmn:endEvent id="end"/>',
        '<bpmn:endEvent id="end"/>'
        + user_task("lost", "孤立", "feedback")
        + flow("f9", "lost", "end"),
    )
    assert "lost" in problems_at(bpmn)


def test_a_user_task_needs_its_flow_role_unit_and_actions():
    bpmn = tiny().replace('<spiffworkflow:property name="unit" value="ticket"/>', "", 1)
    assert "unit" in problems_at(bpmn)["accept"]
    bad_unit = tiny().replace('value="ticket"', 'value="everywhere"', 1)
    assert "accept" in problems_at(bad_unit)


def test_a_service_task_or_a_timer_is_not_supported():
    service = tiny().replace(
        user_task("accept", "受理", "accept,reject"),
        '<bpmn:serviceTask id="accept"/>',
    )
    assert "accept" in problems_at(service)


def test_a_condition_on_data_of_the_wrong_type_fails_clearly_when_evaluated():
    spec = engine.spec_for(tiny('repeat_count >= 1 or action == "accept"'), "tiny-count")
    run = engine.start(spec, {"provinces": [11], "repeat_count": "many"})
    with pytest.raises(engine.ConditionFailed) as caught:
        run.complete(run.ready()[0].id, {"action": "accept"})
    assert "repeat_count" in str(caught.value)


def test_a_multi_instance_without_its_list_fails_clearly():
    spec = engine.spec_for(tiny(), "tiny-1")
    run = engine.start(spec, {})
    with pytest.raises(engine.RunFailed):
        run.complete(run.ready()[0].id, {"action": "accept"})


def test_data_that_would_be_read_back_as_an_engine_object_is_refused():
    spec = engine.spec_for(tiny(), "tiny-1")
    with pytest.raises(ValueError):
        engine.start(spec, {"provinces": [1], "typename": "BpmnWorkflow"})
    run = engine.start(spec, {"provinces": [1]})
    with pytest.raises(ValueError):
        run.complete(run.ready()[0].id, {"note": {"typename": "Task"}})


def test_the_engine_state_is_plain_json_without_the_spec():
    spec = engine.spec_for(tiny(), "tiny-1")
    state = engine.start(spec, {"provinces": [1]}).serialize()
    text = json.dumps(state)
    assert "conditionExpression" not in text and '"spec"' not in text
    with pytest.raises(ValueError):
        engine.restore(spec, {**state, "format": 99})


def test_a_manual_task_is_not_supported():
    bpmn = tiny().replace(
        flow("f5", "handle", "end"),
        flow("f5", "handle", "m") + '<bpmn:manualTask id="m"/>' + flow("f6", "m", "end"),
    )
    assert "m" in problems_at(bpmn)


def test_a_loop_entered_again_after_a_return_starts_afresh():
    """The loop item of the instances before does not stay in the data to block the next."""
    bpmn = tiny().replace(
        flow("f5", "handle", "end"),
        flow("f5", "handle", "check")
        + user_task("check", "复核", "pass,return")
        + flow("f6", "check", "gw2")
        + '<bpmn:exclusiveGateway id="gw2" default="f8"/>'
        + flow("f7", "gw2", "handle", 'action == "return"')
        + flow("f8", "gw2", "end"),
    )
    spec = engine.spec_for(bpmn, "tiny-loop-again")
    run = engine.start(spec, {"provinces": [3, 4]})
    run.complete(run.ready()[0].id, {"action": "accept"})
    for task in run.ready():
        run.complete(task.id, {"action": "feedback"})
    run.complete(run.ready()[0].id, {"action": "return"})
    assert sorted(t.item for t in again(spec, run).ready()) == [3, 4]


def test_problems_are_told_in_chinese_on_a_chinese_screen():
    bpmn = tiny(default="").replace('<bpmn:endEvent id="end"/>', "")
    messages = [p.message for p in engine.validate(bpmn)] + [
        p.message for p in engine.validate(tiny("__import__('os')"))
    ]
    assert messages
    for message in messages:
        assert re.search(r"[\u4e00-\u9fff]", message), message
        assert not re.search(r"\b(The|is|not|condition|gateway)\b", message), message


def test_a_spec_is_parsed_once_per_key():
    first = engine.spec_for(tiny(), "tiny-cache")
    assert engine.spec_for(tiny(), "tiny-cache") is first
    assert engine.spec_for(tiny(), "tiny-cache-2") is not first


def test_the_process_data_leaves_out_each_instance_s_loop_item():
    spec = engine.spec_for(tiny(), "tiny-1")
    run = engine.start(spec, {"provinces": [11, 12]})
    run.complete(run.ready()[0].id, {"action": "accept"})
    assert {t.item for t in run.ready()} == {11, 12}
    assert "province" not in run.data and run.data["provinces"] == [11, 12]


def test_the_engine_s_script_runner_refuses_every_script():
    """Behind validation: were a script ever to reach the engine, it is refused, not run."""
    spec = engine.spec_for(tiny(), "tiny-1")
    script_engine = engine.start(spec, {"provinces": [1]}).workflow.script_engine
    with pytest.raises(engine.ScriptRefused):
        script_engine.execute(None, "import os")
    with pytest.raises(engine.ScriptRefused):
        script_engine.environment.execute("import os", {})
    with pytest.raises(engine.ConditionFailed):
        script_engine.environment.evaluate("__import__('os')", {})
