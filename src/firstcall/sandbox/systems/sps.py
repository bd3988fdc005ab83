"""Service provisioning (服务开通/激活): work orders with per-NE commands; resend, resync, resume.

Style: `{"returnCode": "00000", "returnMessage": ..., ...}`. A command the network refuses is
HTTP 200 with returnCode E2003 (the order system accepted the request; the NE failed it) and
`result: 失败`; a refusal for a business reason (arrears outstanding, needs the owner in a store,
order waiting for its effective date or for the field team) is E1009.
"""

from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import STRING, Call, Param, Reply, body_schema
from firstcall.sandbox.model import Customer
from firstcall.sandbox.repairs import PLATFORMS, platform_applies, resume, resync
from firstcall.sandbox.systems.common import SERVICE_KINDS, System, by_param
from firstcall.sandbox.systems.sps_orders import _get_wo, _orders, _resend, _wo_sample, fail, result


def _customer(sb: Sandbox, call: Call) -> Customer | Reply:
    body = call.body if isinstance(call.body, dict) else {}
    number = str(body.get("serviceNo", ""))
    c = sb.locate(number, SERVICE_KINDS) if number else None
    return c if c else fail(404, "NOT_FOUND", "no such service number")


def _resync(sb: Sandbox, call: Call) -> Reply:
    c = _customer(sb, call)
    if isinstance(c, Reply):
        return c
    platform = str((call.body or {}).get("platform", "")).upper()
    if platform not in PLATFORMS:
        return fail(400, "UNKNOWN_PLATFORM", f"platform must be one of {', '.join(PLATFORMS)}")
    if not platform_applies(c, platform):
        return fail(409, "NOT_ON_PLATFORM", f"the customer has nothing on {platform}")
    return result(resync(sb, c, platform, system="sps"), platform=platform)


def _resume(sb: Sandbox, call: Call) -> Reply:
    c = _customer(sb, call)
    if isinstance(c, Reply):
        return c
    outcome = resume(sb, c, system="sps")
    statuses = {k: p.status for k, p in sb.platforms(c).crm.products.items()}
    return result(outcome, userStatus=statuses)


SYSTEM = System("sps", "Service provisioning", fail)
SYSTEM.get(
    "/v1/work-orders",
    "Provisioning work orders of a service number, newest first",
    _orders,
    by_param("serviceNo", *SERVICE_KINDS, where="query"),
    query=(Param("serviceNo", "any service number", required=True),),
)
SYSTEM.get("/v1/work-orders/{woId}", "One work order with its NE commands", _get_wo, _wo_sample)
SYSTEM.post(
    "/v1/work-orders/{woId}/resend",
    "Resend the failed or timed-out NE commands",
    _resend,
    _wo_sample,
    description="E1009 while the order waits for its effective date or for installation.",
)
SYSTEM.post(
    "/v1/resync",
    "Make one platform match CRM for a customer (一键修复)",
    _resync,
    lambda sb, c: Call(
        body={"serviceNo": c.service_number, "platform": "HLR" if c.mobile else "AAA"}
    ),
    description="Body {serviceNo, platform: HLR|AAA|OCS|PCRF|IPTV|OLT}.",
    body=body_schema(
        "serviceNo",
        "platform",
        serviceNo=STRING,
        platform={"type": "string", "enum": list(PLATFORMS)},
    ),
)
SYSTEM.post(
    "/v1/resume",
    "Resume service (复机) whose stop cause is gone",
    _resume,
    lambda sb, c: Call(body={"serviceNo": c.service_number}),
    description="Body {serviceNo}. Refused (E1009) while arrears are outstanding or the "
    "owner must verify in person.",
    body=body_schema("serviceNo", serviceNo=STRING),
)
ENDPOINTS = SYSTEM.endpoints
