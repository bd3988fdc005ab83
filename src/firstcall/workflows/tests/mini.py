"""A tiny process for the services' tests, built from a compact description: user tasks with
their FirstCall properties, exclusive gateways with conditions and a default."""

from firstcall.core.audit import ChangeContext
from firstcall.workflows.models import Process, ProcessVersion

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
    'id="defs" targetNamespace="http://firstcall.test/bpmn">\n'
)

OPS = "kind:operations_interface@city"
# id: (name, properties)
TASKS = {
    "accept": (
        "受理",
        {
            "flow_role": "dispatcher",
            "unit": OPS,
            "actions": "accept",
            "form": "accept",
            "status": "accepting",
            "sla": "accept",
        },
    ),
    "dispatch": (
        "派发",
        {
            "flow_role": "dispatcher",
            "unit": OPS,
            "actions": "dispatch",
            "form": "dispatch",
            "status": "in_progress",
            "sla": "handle",
        },
    ),
    "maint": (
        "网维处理",
        {
            "flow_role": "handler",
            "unit": "kind:network_maintenance@city",
            "actions": "feedback,return",
            "form": "feedback",
            "status": "in_progress",
            "sla": "handle",
        },
    ),
    "opt": (
        "网优处理",
        {
            "flow_role": "handler",
            "unit": "kind:network_optimisation@city",
            "actions": "feedback,return",
            "form": "feedback",
            "status": "in_progress",
            "sla": "handle",
        },
    ),
    "review": (
        "审核",
        {
            "flow_role": "dispatcher",
            "unit": OPS,
            "actions": "pass,fail",
            "form": "review",
            "status": "reviewing",
            "sla": "handle",
        },
    ),
    "archive": (
        "归档",
        {
            "flow_role": "dispatcher",
            "unit": OPS,
            "actions": "archive",
            "form": "archive",
            "status": "reviewing",
            "sla": "handle",
        },
    ),
}
# (id, source, target, condition or "" ; a gateway's default is its flow without a condition)
FLOWS = [
    ("f1", "start", "accept", ""),
    ("f2", "accept", "dispatch", ""),
    ("f3", "dispatch", "g_fault", ""),
    ("f4", "g_fault", "maint", 'is_fault == "yes"'),
    ("f5", "g_fault", "opt", ""),
    ("f6", "maint", "g_maint", ""),
    ("f7", "g_maint", "dispatch", 'action == "return"'),
    ("f8", "g_maint", "review", ""),
    ("f9", "opt", "g_opt", ""),
    ("f10", "g_opt", "dispatch", 'action == "return"'),
    ("f11", "g_opt", "review", ""),
    ("f12", "review", "g_review", ""),
    ("f13", "g_review", "dispatch", 'action == "fail"'),
    ("f14", "g_review", "archive", ""),
    ("f15", "archive", "end", ""),
]
GATEWAYS = ["g_fault", "g_maint", "g_opt", "g_review"]


def bpmn(process_id: str = "T_MINI") -> str:
    parts = [HEAD, f'<bpmn:process id="{process_id}" isExecutable="true">\n']
    parts.append('<bpmn:startEvent id="start"/>\n<bpmn:endEvent id="end"/>\n')
    for tid, (name, props) in TASKS.items():
        rows = "".join(
            f'<spiffworkflow:property name="{k}" value="{v}"/>' for k, v in props.items()
        )
        parts.append(
            f'<bpmn:userTask id="{tid}" name="{name}"><bpmn:extensionElements>'
            f"<spiffworkflow:properties>{rows}</spiffworkflow:properties>"
            "</bpmn:extensionElements></bpmn:userTask>\n"
        )
    for gid in GATEWAYS:
        default = next(f for f, s, _t, c in FLOWS if s == gid and not c)
        parts.append(f'<bpmn:exclusiveGateway id="{gid}" default="{default}"/>\n')
    for fid, source, target, condition in FLOWS:
        if condition:
            text = condition.replace('"', "&quot;")
            parts.append(
                f'<bpmn:sequenceFlow id="{fid}" sourceRef="{source}" targetRef="{target}">'
                f"<bpmn:conditionExpression>{text}</bpmn:conditionExpression>"
                "</bpmn:sequenceFlow>\n"
            )
        else:
            parts.append(
                f'<bpmn:sequenceFlow id="{fid}" sourceRef="{source}" targetRef="{target}"/>\n'
            )
    parts.append("</bpmn:process>\n</bpmn:definitions>\n")
    return "".join(parts)


def published(ctx: ChangeContext, code: str = "T-MINI", kind: str = "complaint") -> ProcessVersion:
    from firstcall.workflows import services

    process, _created = Process.objects.get_or_create(
        code=code, defaults={"name_zh": "测试流程", "name_en": "Test process", "ticket_kind": kind}
    )
    number = process.versions.count() + 1
    version = ProcessVersion.objects.create(process=process, number=number, bpmn=bpmn())
    return services.publish_version(ctx, version)
