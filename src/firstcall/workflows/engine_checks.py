"""What publishing a process document checks before the engine parses it: the XML is safe to
read (no DTD, no entities, bounded size), it holds one process, every element is of a kind the
back office runs (no script task, no script anywhere, no service or rule task, no timer or
message), every user task carries its FirstCall properties, every condition is a rule-engine
expression over known names with a yes/no value, every diverging exclusive gateway has a default
and a condition on each other flow, and every element is reachable from the start and leads
somewhere."""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

from firstcall.rules import expressions
from firstcall.workflows import engine_rules

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
MAX_BYTES = 1_000_000  # a process document with its diagram is a few dozen kilobytes
REQUIRED = ("flow_role", "unit", "actions")
UNIT = re.compile(r"^(ticket|kind:[a-z_]+@(city|province|hq)|var:[A-Za-z_][A-Za-z0-9_]*)$")

# The flow nodes the back office runs; anything else in a process is refused.
NODES = {
    "startEvent",
    "endEvent",
    "userTask",
    "task",
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
    "subProcess",
}
# What may sit inside a process besides flow nodes and flows (no behaviour of their own).
INERT = {
    "extensionElements",
    "incoming",
    "outgoing",
    "documentation",
    "multiInstanceLoopCharacteristics",
    "loopDataInputRef",
    "inputDataItem",
    "completionCondition",
    "conditionExpression",
    "laneSet",
    "lane",
    "flowNodeRef",
    "textAnnotation",
    "text",
    "association",
}
GATEWAYS = {"exclusiveGateway", "inclusiveGateway"}


@dataclass(frozen=True)
class Problem:
    """One publishing problem, at its BPMN element ("" for the document)."""

    element: str
    message: str


@dataclass
class Document:
    """What the checks read from a document, kept for the engine (the diagram's flows)."""

    root: Any = None
    process_id: str = ""
    # (source id, target id) → sequence flow id, for every flow of the document.
    flows: dict[tuple[str, str], str] = field(default_factory=dict)
    conditions: list[str] = field(default_factory=list)


def _local(node: Any) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def _ns(node: Any) -> str:
    return etree.QName(node).namespace or "" if isinstance(node.tag, str) else ""


def _id(node: Any) -> str:
    """The id of the nearest element that has one (where a problem is shown)."""
    while node is not None:
        if node.get("id"):
            return str(node.get("id"))
        node = node.getparent()
    return ""


def read(bpmn: str) -> tuple[Document, list[Problem]]:
    """The parsed document, or the problem that keeps it from being read."""
    doc = Document()
    if len(bpmn.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return doc, [Problem("", _("The document is larger than 1 MB."))]
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(bpmn.encode("utf-8", "surrogatepass"), parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        return doc, [Problem("", _("The document is not well-formed XML (line %s).") % line)]
    except ValueError:
        return doc, [Problem("", _("The document is not well-formed XML."))]
    if root.getroottree().docinfo.doctype:
        return doc, [Problem("", _("The document may not declare a DTD."))]
    if root.tag != f"{{{BPMN}}}definitions":
        return doc, [Problem("", _("The document is not a BPMN 2.0 definitions document."))]
    doc.root = root
    processes = root.findall(f"{{{BPMN}}}process")
    if len(processes) != 1:
        return doc, [Problem("", _("The document must hold exactly one process."))]
    doc.process_id = processes[0].get("id", "")
    for flow in root.iter(f"{{{BPMN}}}sequenceFlow"):
        doc.flows[(flow.get("sourceRef", ""), flow.get("targetRef", ""))] = flow.get("id", "")
    return doc, []


def check(doc: Document, types: Mapping[str, Any]) -> list[Problem]:
    """Every problem of a readable document, at its element."""
    process = doc.root.find(f"{{{BPMN}}}process")
    problems = [*_kinds(process), *_user_tasks(process)]
    problems += _conditions(doc, process, types)
    for scope in [process, *process.iter(f"{{{BPMN}}}subProcess")]:
        problems += _gateways(scope)
        problems += _reachable(scope)
    return problems


def _kinds(process: Any) -> Iterator[Problem]:
    for node in process.iter():
        name, ns = _local(node), _ns(node)
        if not name:
            continue
        if name == "script" or name.lower() in {"prescript", "postscript"}:
            yield Problem(_id(node), _("Scripts are not allowed in a back-office process."))
        elif ns == BPMN and name == "scriptTask":
            yield Problem(_id(node), _("Script tasks are not allowed in a back-office process."))
        elif ns == BPMN and node is not process and name not in NODES | INERT | {"sequenceFlow"}:
            yield Problem(
                _id(node), _("This kind of element is not supported in a back-office process.")
            )
        elif ns == SPIFF and name not in {"properties", "property"}:
            yield Problem(_id(node), _("This extension is not supported in a back-office process."))


def properties(node: Any) -> dict[str, str]:
    """A task's `spiffworkflow:properties` (name → value)."""
    found = node.findall(f"{{{BPMN}}}extensionElements/{{{SPIFF}}}properties/{{{SPIFF}}}property")
    return {p.get("name", ""): p.get("value", "") for p in found}


def _user_tasks(process: Any) -> Iterator[Problem]:
    for task in process.iter(f"{{{BPMN}}}userTask"):
        props = properties(task)
        missing = [name for name in REQUIRED if not props.get(name, "").strip()]
        if missing:
            yield Problem(
                task.get("id", ""),
                _("The user task lacks the properties %(names)s.") % {"names": ", ".join(missing)},
            )
        unit = props.get("unit", "").strip()
        if unit and not UNIT.match(unit):
            yield Problem(
                task.get("id", ""),
                _(
                    "The unit %(unit)s is not one of ticket, kind:<kind>@city|province|hq or "
                    "var:<name>."
                )
                % {"unit": unit},
            )


def expression_texts(doc: Document) -> list[str]:
    """Every expression of the document (flow conditions, completion conditions), stripped."""
    nodes = [
        *doc.root.iter(f"{{{BPMN}}}conditionExpression"),
        *doc.root.iter(f"{{{BPMN}}}completionCondition"),
    ]
    return [(node.text or "").strip() for node in nodes if (node.text or "").strip()]


def _conditions(doc: Document, process: Any, types: Mapping[str, Any]) -> Iterator[Problem]:
    nodes = {n.get("id"): n for n in process.iter() if n.get("id")}
    compiled = engine_rules.compile_all(expression_texts(doc), types)
    for node in [
        *process.iter(f"{{{BPMN}}}conditionExpression"),
        *process.iter(f"{{{BPMN}}}completionCondition"),
    ]:
        text, where = (node.text or "").strip(), _id(node)
        if not text:
            yield Problem(where, _("The condition is empty."))
            continue
        if _local(node) == "conditionExpression":
            source = nodes.get(node.getparent().get("sourceRef"))
            if source is None or _local(source) not in GATEWAYS:
                yield Problem(where, _("Only a flow leaving an exclusive gateway has a condition."))
                continue
        try:
            rule = compiled.rule(text)
        except expressions.ExpressionError as exc:
            yield Problem(where, _("The condition %(c)s: %(e)s") % {"c": text, "e": exc})
            continue
        if expressions.result_type(rule) not in (
            expressions.T.BOOLEAN,
            expressions.T.UNDEFINED,
        ):
            yield Problem(where, _("The condition %(c)s is not a yes/no value.") % {"c": text})


def _children(scope: Any) -> list[Any]:
    return [child for child in scope if _ns(child) == BPMN]


def _gateways(scope: Any) -> Iterator[Problem]:
    flows = [n for n in _children(scope) if _local(n) == "sequenceFlow"]
    for gateway in _children(scope):
        if _local(gateway) not in GATEWAYS:
            continue
        gid = gateway.get("id", "")
        outgoing = [f for f in flows if f.get("sourceRef") == gid]
        if len(outgoing) < 2:
            continue
        default = gateway.get("default", "")
        if not default or default not in {f.get("id") for f in outgoing}:
            yield Problem(gid, _("The gateway has no default flow for when no condition holds."))
        for flow in outgoing:
            has = flow.find(f"{{{BPMN}}}conditionExpression") is not None
            if not has and flow.get("id") != default:
                yield Problem(
                    flow.get("id", ""),
                    _("The flow leaves a gateway without a condition and is not its default."),
                )


def _reachable(scope: Any) -> Iterator[Problem]:
    nodes = {n.get("id"): n for n in _children(scope) if _local(n) in NODES}
    graph: dict[str, list[str]] = {}
    for flow in _children(scope):
        if _local(flow) == "sequenceFlow":
            graph.setdefault(flow.get("sourceRef", ""), []).append(flow.get("targetRef", ""))
    starts = [i for i, n in nodes.items() if _local(n) == "startEvent"]
    if len(starts) != 1:
        yield Problem(_id(scope), _("A process or sub-process needs exactly one start event."))
        return
    seen, todo = set(starts), list(starts)
    while todo:
        for target in graph.get(todo.pop(), []):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    for element, node in nodes.items():
        if element not in seen:
            yield Problem(element, _("The element cannot be reached from the start."))
        elif _local(node) != "endEvent" and not graph.get(element):
            yield Problem(element, _("The element leads nowhere: add a flow out of it."))
    if not any(_local(n) == "endEvent" for n in nodes.values()):
        yield Problem(_id(scope), _("A process or sub-process needs an end event."))
