"""FirstCall's process engine: a BPMN 2.0 document run by SpiffWorkflow behind a small
interface (docs/backoffice.md, "Interfaces between the parts"). Only this module and its
`engine_*` helpers import SpiffWorkflow.

- `validate(bpmn)` lists the problems that keep a document from being published, at their
  elements (`engine_checks`); `spec_for(bpmn, key)` parses a valid one once per key (a version's
  id and content hash) and keeps it in the shared bounded cache of `rules.expressions`.
- `start(spec, data)` runs a new instance to its first waiting user tasks; `restore(spec, state)`
  takes it back from `Run.serialize()` (JSON, without the spec: the version holds that).
- Gateway conditions are rule-engine expressions (`engine_rules`); no script ever runs.
"""

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.specs.defaults import UserTask
from SpiffWorkflow.util.task import TaskState

from firstcall.rules import expressions
from firstcall.workflows import engine_checks, engine_rules, engine_state
from firstcall.workflows.engine_checks import Problem
from firstcall.workflows.engine_rules import ConditionFailed, RunFailed, ScriptRefused

__all__ = [
    "DATA_TYPES",
    "TYPES",
    "ConditionFailed",
    "DefinitionError",
    "Problem",
    "Run",
    "RunFailed",
    "ScriptRefused",
    "Spec",
    "TaskInfo",
    "TaskNotReady",
    "restore",
    "spec_for",
    "start",
    "validate",
]

# The types a caller declares more data names with (`types=` of `validate` and `spec_for`),
# e.g. {"verdict": TYPES.STRING}; the names every process may read are in DATA_TYPES.
TYPES = engine_rules.T
DATA_TYPES = engine_rules.DATA_TYPES
log = logging.getLogger(__name__)
# SpiffWorkflow logs every state change of every task at INFO: kept to its warnings.
logging.getLogger("spiff").setLevel(logging.WARNING)
HUMAN = UserTask


class DefinitionError(Exception):
    """A document that cannot be run; `.problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.element}: {p.message}" for p in problems))


class TaskNotReady(Exception):
    """The task id is unknown to this instance, or the task is not waiting for a person."""


@dataclass(frozen=True)
class TaskInfo:
    """One ready user task."""

    id: str
    spec: str
    name: str
    properties: dict[str, str]
    item: Any = None


@dataclass(frozen=True)
class Spec:
    """A parsed, valid process document: what `start` and `restore` run."""

    key: str
    process_id: str
    workflow_spec: Any
    subprocess_specs: dict[str, Any]
    conditions: expressions.Conditions
    flows: dict[tuple[str, str], str]
    # The names multi-instance loops give their item (`province`): an instance's own datum.
    loop_items: frozenset[str] = frozenset()


def _parse(bpmn: str, doc: engine_checks.Document) -> tuple[Any, dict[str, Any]]:
    parser = SpiffBpmnParser()
    parser.add_bpmn_xml(doc.root)
    workflow_spec = parser.get_spec(doc.process_id)
    return workflow_spec, parser.get_subprocess_specs(doc.process_id)


def _problems(
    bpmn: str, types: Mapping[str, Any] | None
) -> tuple[engine_checks.Document, list[Problem], Any]:
    doc, problems = engine_checks.read(bpmn)
    if problems:
        return doc, problems, None
    problems = engine_checks.check(doc, engine_rules.data_types(types))
    if problems:
        return doc, problems, None
    try:
        return doc, [], _parse(bpmn, doc)
    except ValidationException as exc:
        log.info("process document refused by the engine: %s", exc)
        element = getattr(exc, "id", "") or ""
        return doc, [Problem(str(element), _("The engine cannot read this element."))], None
    except (SpiffWorkflowException, KeyError, ValueError, TypeError) as exc:
        log.info("process document refused by the engine: %r", exc)
        return doc, [Problem("", _("The engine cannot read this document."))], None


def validate(
    bpmn: str, *, process_id: str | None = None, types: Mapping[str, Any] | None = None
) -> list[Problem]:
    """The problems that keep `bpmn` from being published (empty: it may be). `process_id`, when
    given, is the process the document must hold; `types` declares data names beyond
    `engine_rules.DATA_TYPES` (a form's fields) that conditions may read."""
    doc, problems, _parsed = _problems(bpmn, types)
    if not problems and process_id is not None and doc.process_id != process_id:
        problems = [
            Problem(
                doc.process_id,
                _("The document holds the process %(found)s, not %(expected)s.")
                % {"found": doc.process_id, "expected": process_id},
            )
        ]
    return problems


def spec_for(bpmn: str, key: str, *, types: Mapping[str, Any] | None = None) -> Spec:
    """The parsed process of `bpmn`, built once per `key` (a version's id and content hash: a
    published version never changes) and kept in the shared bounded cache. Raises
    DefinitionError when the document is not valid."""

    def build() -> Spec:
        doc, problems, parsed = _problems(bpmn, types)
        if problems:
            raise DefinitionError(problems)
        workflow_spec, subprocess_specs = parsed
        texts = engine_checks.expression_texts(doc)
        return Spec(
            key=key,
            process_id=doc.process_id,
            workflow_spec=workflow_spec,
            subprocess_specs=subprocess_specs,
            conditions=engine_rules.compile_all(texts, engine_rules.data_types(types)),
            flows=dict(doc.flows),
            loop_items=_loop_items(workflow_spec, subprocess_specs),
        )

    return expressions.cached(("workflows.process", key), build)


def _loop_items(workflow_spec: Any, subprocess_specs: dict[str, Any]) -> frozenset[str]:
    specs = [workflow_spec, *subprocess_specs.values()]
    return frozenset(
        task.input_item.bpmn_id
        for spec in specs
        for task in spec.task_specs.values()
        if isinstance(task, MultiInstanceTask) and task.input_item is not None
    )


def start(spec: Spec, data: Mapping[str, Any]) -> "Run":
    """A new instance with `data`, run on to its first waiting user tasks."""
    workflow = BpmnWorkflow(
        spec.workflow_spec,
        spec.subprocess_specs,
        script_engine=engine_rules.RuleScriptEngine(spec.conditions),
    )
    first = workflow.get_next_task(spec_name="Start")
    first.data.update(engine_state.clean(dict(data)))
    run = Run(spec, workflow)
    run.advance()
    return run


@contextmanager
def _running() -> Iterator[None]:
    """SpiffWorkflow's failures on odd data (its own exceptions, or Python's when a loop's list
    is missing or not a list), as RunFailed: callers never import SpiffWorkflow."""
    try:
        yield
    except (SpiffWorkflowException, LookupError, TypeError, ValueError) as exc:
        log.warning("the process could not run on: %s", exc)
        raise RunFailed(
            _("The process cannot go on with this data: a step is missing what it needs.")
        ) from exc


def restore(spec: Spec, state: Mapping[str, Any]) -> "Run":
    """The instance `Run.serialize()` gave, on the same spec."""
    workflow = engine_state.restore(spec.workflow_spec, spec.subprocess_specs, dict(state))
    workflow.script_engine = engine_rules.RuleScriptEngine(spec.conditions)
    return Run(spec, workflow)


def _leaving(task: Any) -> None:
    """Before a multi-instance task completes: its loop item (the last instance's, merged into
    its data) is dropped, so the process data does not carry it on, and the same loop entered
    again (after a return) does not find its item already there."""
    loop = task.task_spec
    if isinstance(loop, MultiInstanceTask) and loop.input_item is not None:
        task.data.pop(loop.input_item.bpmn_id, None)


class Run:
    """One running instance of a process."""

    def __init__(self, spec: Spec, workflow: Any) -> None:
        self.spec = spec
        self.workflow = workflow

    def advance(self) -> None:
        """Run the engine's own tasks (gateways, events) until only people's tasks wait."""
        with _running():
            self.workflow.do_engine_steps(will_complete_task=_leaving)

    def _ready(self) -> list[Any]:
        tasks = self.workflow.get_tasks(state=TaskState.READY)
        return [t for t in tasks if isinstance(t.task_spec, HUMAN)]

    def ready(self) -> list[TaskInfo]:
        """The user tasks waiting for a person, in the order of the process tree."""
        return [self._info(task) for task in self._ready()]

    def _info(self, task: Any) -> TaskInfo:
        spec = task.task_spec
        extensions = getattr(spec, "extensions", None) or {}
        return TaskInfo(
            id=str(task.id),
            spec=spec.bpmn_id,
            name=spec.bpmn_name or spec.bpmn_id,
            properties=dict(extensions.get("properties", {})),
            item=self._item(task),
        )

    def _item(self, task: Any) -> Any:
        """The loop item of the nearest multi-instance around `task` (itself, or the
        sub-process instance it runs in)."""
        while task is not None:
            parent = task.parent
            loop = parent.task_spec if parent is not None else None
            if isinstance(loop, MultiInstanceTask) and loop.task_spec == task.task_spec.name:
                if "key_or_index" in task.internal_data and loop.data_input is not None:
                    return loop.data_input.get(parent)[task.internal_data["key_or_index"]]
                return task.internal_data.get("item")
            parent_id = getattr(task.workflow, "parent_task_id", None)
            task = self.workflow.get_task_from_id(parent_id) if parent_id else None
        return None

    def _task(self, task_id: str) -> Any:
        try:
            uuid = UUID(str(task_id))
        except ValueError:
            raise TaskNotReady(task_id) from None
        for task in self._ready():
            if task.id == uuid:
                return task
        raise TaskNotReady(task_id)

    def complete(self, task_id: str, data: Mapping[str, Any]) -> None:
        """Merge `data` into the ready task `task_id`, complete it and run on. Raises
        TaskNotReady for an unknown task or one not waiting for a person, RunFailed (or its
        kind ConditionFailed) when the process cannot go on with the data: the caller's
        transaction is rolled back and this run is not to be used again."""
        task = self._task(task_id)
        task.data.update(engine_state.clean(dict(data)))
        with _running():
            task.run()
        self.advance()

    @property
    def data(self) -> dict[str, Any]:
        """The process data: what the waiting tasks see (merged), or the data it ended with;
        without a loop's item (each instance has its own: `TaskInfo.item`)."""
        merged: dict[str, Any] = {}
        tasks = self._ready() if not self.done() else []
        if not tasks:
            last = self.workflow.last_task
            tasks = [last] if last is not None else []
        for task in tasks:
            merged.update(task.data)
        for name in self.spec.loop_items:
            merged.pop(name, None)
        return merged

    def done(self) -> bool:
        return bool(self.workflow.completed)

    def cancel(self) -> None:
        self.workflow.cancel()

    def serialize(self) -> dict[str, Any]:
        """The instance's state, JSON-safe (the spec is left out: the version holds it)."""
        return engine_state.serialize(self.workflow)

    def _visible(self, states: int) -> list[Any]:
        tasks = self.workflow.get_tasks(state=states)
        visible = [t for t in tasks if getattr(t.task_spec, "bpmn_id", None)]
        return sorted(visible, key=lambda t: t.last_state_change)

    def completed(self) -> list[str]:
        """BPMN ids of the user tasks completed, in the order they were (a task done again
        after a return is there twice)."""
        return [
            t.task_spec.bpmn_id
            for t in self._visible(TaskState.COMPLETED)
            if isinstance(t.task_spec, HUMAN)
        ]

    def element_ids(self) -> list[str]:
        """For the diagram: the BPMN ids of every element taken or waiting (events, gateways,
        tasks, sub-processes) and of the sequence flows between them, without repeats."""
        ids: dict[str, None] = {}
        for task in self._visible(TaskState.COMPLETED | TaskState.READY | TaskState.STARTED):
            ids[task.task_spec.bpmn_id] = None
            source = self._visible_parent(task)
            if source is not None:
                flow = self.spec.flows.get((source.task_spec.bpmn_id, task.task_spec.bpmn_id))
                if flow:
                    ids[flow] = None
        return list(ids)

    def _visible_parent(self, task: Any) -> Any:
        parent = task.parent
        while parent is not None and not getattr(parent.task_spec, "bpmn_id", None):
            parent = parent.parent
        if parent is not None and isinstance(parent.task_spec, SubWorkflowTask):
            return None
        return parent
