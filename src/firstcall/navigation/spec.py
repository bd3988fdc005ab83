"""A guided flow as FirstCall reads it: steps and branches, parsed from and written to BPMN 2.0.

Steps are BPMN tasks (ask and guide: userTask; query and action: serviceTask; decide:
businessRuleTask), terminal steps are end events, branches are sequence flows whose
`conditionExpression` holds a rule-engine expression over facts. FirstCall's own attributes sit
in the `fc:` namespace: the step kind, the check a query runs, the facts it yields, the page
template, the action, the ticket an end opens and the suggested reply. The diagram (DI) is laid
out here so a BPMN viewer can draw a seeded flow at once.
"""

from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from xml.etree import ElementTree as ET

from defusedxml import ElementTree as safe_xml
from defusedxml.common import DefusedXmlException

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
FC = "http://firstcall.local/schema/bpmn/1.0"
for prefix, uri in (
    ("bpmn", BPMN),
    ("bpmndi", BPMNDI),
    ("dc", DC),
    ("di", DI),
    ("xsi", XSI),
    ("fc", FC),
):
    ET.register_namespace(prefix, uri)

KINDS = ("ask", "query", "guide", "decide", "action", "end")
TAGS = {
    "ask": "userTask",
    "guide": "userTask",
    "query": "serviceTask",
    "action": "serviceTask",
    "decide": "businessRuleTask",
    "end": "endEvent",
}
STEP_ATTRS = (
    "check",
    "template",
    "action",
    "ticket_kind",
    "ticket_to",
    "priority",
    "reply",
    "do",
    "name_en",
    "do_en",
    "reply_en",
)
# The English of a step's texts; the zh-hans texts are the flow's own (`name`, `do`, `reply`).
ENGLISH = {"name": "name_en", "do": "do_en", "reply": "reply_en"}


class SpecError(ValueError):
    """The document is not a flow FirstCall can read."""


@dataclass
class Branch:
    target: str
    condition: str = ""  # rule-engine expression; empty: the default branch
    label: str = ""  # the worded condition an agent reads
    answer: str = ""  # on ask/guide/decide steps: the caller's answer that takes this branch
    label_en: str = ""


@dataclass
class Step:
    id: str
    kind: str
    name: str = ""
    do: str = ""
    check: str = ""
    facts: list[str] = field(default_factory=list)
    template: str = ""
    action: str = ""
    ticket_kind: str = ""
    ticket_to: str = ""
    priority: str = ""
    reply: str = ""
    name_en: str = ""
    do_en: str = ""
    reply_en: str = ""
    branches: list[Branch] = field(default_factory=list)


@dataclass
class FlowSpec:
    code: str
    name: str
    entry: str
    steps: dict[str, Step]

    name_en: str = ""
    # what its compiled conditions are kept by (`validate.compiled`): the published version's id
    # and content hash; empty for a spec that is no version's
    key: tuple[Hashable, ...] = field(default=(), compare=False, repr=False)

    def successors(self, step_id: str) -> list[str]:
        return [b.target for b in self.steps[step_id].branches]

    def localized(self, language: str) -> "FlowSpec":
        """The flow with its texts in `language`: English where the flow has it, else its own
        zh-hans texts. Ids, conditions and answers are the same in every language."""
        if not language.startswith("en"):
            return self
        steps = {}
        for step in self.steps.values():
            texts = {zh: getattr(step, en) or getattr(step, zh) for zh, en in ENGLISH.items()}
            branches = [replace(b, label=b.label_en or b.label) for b in step.branches]
            steps[step.id] = replace(step, branches=branches, **texts)
        return replace(self, name=self.name_en or self.name, steps=steps)


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _layout(spec: FlowSpec) -> dict[str, tuple[int, int]]:
    """Columns by distance from the entry, rows in order of discovery."""
    depth: dict[str, int] = {spec.entry: 0}
    queue = [spec.entry]
    while queue:
        current = queue.pop(0)
        for target in spec.successors(current):
            if target in spec.steps and target not in depth:
                depth[target] = depth[current] + 1
                queue.append(target)
    for step_id in spec.steps:
        depth.setdefault(step_id, max(depth.values(), default=0) + 1)
    rows: dict[int, int] = {}
    place = {}
    for step_id, column in depth.items():
        row = rows.get(column, 0)
        rows[column] = row + 1
        place[step_id] = (200 + column * 180, 80 + row * 110)
    return place


def to_bpmn(spec: FlowSpec) -> str:
    root = ET.Element(_q(BPMN, "definitions"), {"id": f"defs-{spec.code}", "targetNamespace": FC})
    process = ET.SubElement(
        root, _q(BPMN, "process"), {"id": spec.code, "name": spec.name, "isExecutable": "false"}
    )
    if spec.name_en:
        process.set(_q(FC, "name-en"), spec.name_en)
    ET.SubElement(process, _q(BPMN, "startEvent"), {"id": "start"})
    flows = [("start-flow", "start", spec.entry, Branch(spec.entry))]
    for step in spec.steps.values():
        attrs = {"id": step.id, "name": step.name or step.id, _q(FC, "kind"): step.kind}
        for name in STEP_ATTRS:
            if value := getattr(step, name):
                attrs[_q(FC, name.replace("_", "-"))] = value
        if step.facts:
            attrs[_q(FC, "facts")] = " ".join(step.facts)
        ET.SubElement(process, _q(BPMN, TAGS[step.kind]), attrs)
        for n, branch in enumerate(step.branches):
            flows.append((f"{step.id}-to-{branch.target}-{n}", step.id, branch.target, branch))
    for flow_id, source, target, branch in flows:
        attrs = {"id": flow_id, "sourceRef": source, "targetRef": target}
        if branch.label:
            attrs["name"] = branch.label
        if branch.answer:
            attrs[_q(FC, "answer")] = branch.answer
        if branch.label_en:
            attrs[_q(FC, "label-en")] = branch.label_en
        element = ET.SubElement(process, _q(BPMN, "sequenceFlow"), attrs)
        if branch.condition:
            condition = ET.SubElement(
                element,
                _q(BPMN, "conditionExpression"),
                {_q(XSI, "type"): "bpmn:tFormalExpression"},
            )
            condition.text = branch.condition
    diagram = ET.SubElement(root, _q(BPMNDI, "BPMNDiagram"), {"id": f"diagram-{spec.code}"})
    plane = ET.SubElement(
        diagram, _q(BPMNDI, "BPMNPlane"), {"id": f"plane-{spec.code}", "bpmnElement": spec.code}
    )
    place = _layout(spec)
    place["start"] = (80, 80)
    sizes = {"start": (36, 36)}
    for step in spec.steps.values():
        sizes[step.id] = (36, 36) if step.kind == "end" else (120, 70)
    for element_id, (x, y) in place.items():
        w, h = sizes[element_id]
        shape = ET.SubElement(
            plane,
            _q(BPMNDI, "BPMNShape"),
            {"id": f"{element_id}-di", "bpmnElement": element_id},
        )
        ET.SubElement(
            shape, _q(DC, "Bounds"), {"x": str(x), "y": str(y), "width": str(w), "height": str(h)}
        )
    for flow_id, source, target, _branch in flows:
        if source not in place or target not in place:
            continue
        edge = ET.SubElement(
            plane, _q(BPMNDI, "BPMNEdge"), {"id": f"{flow_id}-di", "bpmnElement": flow_id}
        )
        for element_id, side in ((source, 1), (target, 0)):
            x, y = place[element_id]
            w, h = sizes[element_id]
            ET.SubElement(edge, _q(DI, "waypoint"), {"x": str(x + w * side), "y": str(y + h // 2)})
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def from_bpmn(xml: str) -> FlowSpec:
    try:
        root = safe_xml.fromstring(xml, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise SpecError("Document type declarations and entities are not accepted.") from exc
    except ET.ParseError as exc:
        raise SpecError(f"Not well-formed XML: {exc}") from exc
    process = root.find(_q(BPMN, "process"))
    if process is None:
        raise SpecError("The document has no bpmn:process.")
    steps: dict[str, Step] = {}
    for element in process:
        kind = element.get(_q(FC, "kind"))
        if kind is None:
            continue
        if kind not in KINDS:
            raise SpecError(f"Step {element.get('id')}: unknown kind {kind!r}.")
        step = Step(id=element.get("id", ""), kind=kind, name=element.get("name", ""))
        for name in STEP_ATTRS:
            setattr(step, name, element.get(_q(FC, name.replace("_", "-")), ""))
        step.facts = element.get(_q(FC, "facts"), "").split()
        if not step.id or step.id in steps:
            raise SpecError(f"Step id {step.id!r} is empty or used twice.")
        steps[step.id] = step
    entry = ""
    for element in process.iter(_q(BPMN, "sequenceFlow")):
        source, target = element.get("sourceRef", ""), element.get("targetRef", "")
        condition = element.find(_q(BPMN, "conditionExpression"))
        branch = Branch(
            target=target,
            condition=(condition.text or "").strip() if condition is not None else "",
            label=element.get("name", ""),
            answer=element.get(_q(FC, "answer"), ""),
            label_en=element.get(_q(FC, "label-en"), ""),
        )
        if source == "start":
            entry = target
        elif source in steps:
            steps[source].branches.append(branch)
        else:
            raise SpecError(f"Branch {element.get('id')} leaves an unknown step {source!r}.")
    if not entry:
        raise SpecError("No branch leaves the start event.")
    return FlowSpec(
        code=process.get("id", ""),
        name=process.get("name", ""),
        entry=entry,
        steps=steps,
        name_en=process.get(_q(FC, "name-en"), ""),
    )
