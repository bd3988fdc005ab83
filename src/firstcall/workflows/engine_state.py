"""An instance's state in and out of JSON (a JSONField on `ProcessInstance`). SpiffWorkflow's
serializer, with the workflow's converter changed to leave the spec out: every instance of a
version runs the same spec, which the version's document gives back (`engine.spec_for`)."""

import datetime
import decimal
import json
import uuid
from typing import Any

from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

FORMAT = 1  # of what `serialize` returns; a change of layout gets a new number


class _StateConverter(BpmnWorkflowConverter):
    """The workflow without its spec; restored onto the spec it is given."""

    def to_dict(self, workflow: Any) -> dict[str, Any]:
        dct: dict[str, Any] = super(BpmnWorkflowConverter, self).to_dict(workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict[str, Any], **kwargs: Any) -> Any:
        workflow = self.target_class(kwargs["spec"], kwargs["subprocess_specs"], deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], uuid.UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(uuid.UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _serializer() -> BpmnWorkflowSerializer:
    config = dict(SPIFF_CONFIG)
    config[BpmnWorkflow] = _StateConverter
    return BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))


_SERIALIZER = _serializer()


def serialize(workflow: Any) -> dict[str, Any]:
    state: dict[str, Any] = _SERIALIZER.to_dict(workflow)
    # Plain JSON in, plain JSON out: what the JSONField stores is what `restore` reads.
    return {"format": FORMAT, "workflow": json.loads(json.dumps(state))}


def restore(spec: Any, subprocess_specs: dict[str, Any], state: dict[str, Any]) -> Any:
    if state.get("format") != FORMAT:
        raise ValueError("unknown engine state format")
    dct = json.loads(json.dumps(state["workflow"]))  # restoring consumes the dictionary
    _tree_order(dct)
    for sub in dct.get("subprocesses", {}).values():
        _tree_order(sub)
    return _SERIALIZER.from_dict(dct, spec=spec, subprocess_specs=subprocess_specs)


def _tree_order(workflow: dict[str, Any]) -> None:
    """The tasks parents first. A task's data is stored as its change to its parent's, so the
    parent must be restored before it; a JSONField on PostgreSQL (jsonb) keeps an object's keys
    in its own order, not the order they were written in."""
    tasks = workflow.get("tasks", {})
    ordered: dict[str, Any] = {}
    todo: list[str] = [str(workflow.get("root"))]
    while todo:
        task_id = todo.pop(0)
        if task_id in tasks and task_id not in ordered:
            ordered[task_id] = tasks[task_id]
            todo.extend(tasks[task_id].get("children", []))
    ordered.update((k, v) for k, v in tasks.items() if k not in ordered)
    workflow["tasks"] = ordered


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot be process data")


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """`data` as plain JSON values (dates as ISO text, decimals as numbers), so the state
    round-trips through a JSONField unchanged."""
    cleaned: dict[str, Any] = json.loads(json.dumps(data, default=_plain))
    todo: list[Any] = [cleaned]
    while todo:  # a "typename" key would be read back as one of SpiffWorkflow's objects
        value = todo.pop()
        if isinstance(value, dict):
            if "typename" in value:
                raise ValueError("process data may not hold a 'typename' key")
            todo.extend(value.values())
        elif isinstance(value, list):
            todo.extend(value)
    return cleaned
