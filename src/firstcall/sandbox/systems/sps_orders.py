"""SPS work orders: list, read, resend (a timed-out resume order resends as a resume)."""

from firstcall.sandbox.commands import Outcome, execute
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Reply
from firstcall.sandbox.model import Customer
from firstcall.sandbox.numbering import index_in_record_id
from firstcall.sandbox.platforms.mutations import Mutations
from firstcall.sandbox.platforms.state import WorkOrder
from firstcall.sandbox.repairs import resume
from firstcall.sandbox.systems.common import SERVICE_KINDS

WAITING = {
    "待发": "未到生效时间，工单按约定时间自动执行",
    "待装维": "需装维上门施工，完工后自动激活",
}


def fail(status: int, code: str, message: str) -> Reply:
    codes = {400: "E1001", 404: "E1004", 409: "E1009", 422: "E1022"}
    return Reply(
        status,
        {"returnCode": codes.get(status, "E9999"), "returnMessage": message, "errorCode": code},
    )


def result(outcome: Outcome, **extra: object) -> Reply:
    if outcome.ok:
        return Reply(
            200, {"returnCode": "00000", "returnMessage": "成功", "result": "成功", **extra}
        )
    if outcome.reason.startswith("网元"):
        return Reply(
            200, {"returnCode": "E2003", "returnMessage": outcome.reason, "result": "失败", **extra}
        )
    return fail(409, "REFUSED", outcome.reason)


def wo_json(wo: WorkOrder) -> dict:
    return {
        "woId": wo.wo_id,
        "crmOrderId": wo.crm_order_id or None,
        "action": wo.action,
        "title": wo.title,
        "createTime": wo.created,
        "promisedEffect": wo.promised,
        "status": wo.status,
        "retries": wo.retries,
        "commands": wo.commands,
    }


def _orders(sb: Sandbox, call: Call) -> Reply:
    number = call.query.get("serviceNo", "")
    c = sb.locate(number, SERVICE_KINDS) if number else None
    if c is None:
        return fail(404, "NOT_FOUND", "no such service number")
    return Reply(
        200,
        {
            "returnCode": "00000",
            "returnMessage": "成功",
            "workOrders": [wo_json(w) for w in sb.platforms(c).sps],
        },
    )


def _wo(sb: Sandbox, wo_id: str) -> tuple[Customer, WorkOrder] | None:
    index = index_in_record_id(wo_id)
    if index is None or index >= sb.config.customers:
        return None
    c = sb.customer(index)
    wo = next((w for w in sb.platforms(c).sps if w.wo_id == wo_id), None)
    return (c, wo) if wo else None


def _get_wo(sb: Sandbox, call: Call) -> Reply:
    found = _wo(sb, call.params["woId"])
    if found is None:
        return fail(404, "NOT_FOUND", "no such work order")
    return Reply(
        200, {"returnCode": "00000", "returnMessage": "成功", "workOrder": wo_json(found[1])}
    )


def _resend(sb: Sandbox, call: Call) -> Reply:
    found = _wo(sb, call.params["woId"])
    if found is None:
        return fail(404, "NOT_FOUND", "no such work order")
    c, wo = found
    if wo.status in WAITING:
        return fail(409, "NOT_RESENDABLE", WAITING[wo.status])
    if wo.action == "复机":
        outcome = resume(sb, c, system="sps")
    else:

        def change(m: Mutations) -> None:
            m.resent_orders[wo.wo_id] = sb.now()

        outcome = execute(
            sb,
            c,
            system="sps",
            command="resend",
            fix_keys=("resend_order",),
            change=change,
            needed=wo.status in ("超时", "失败", "部分失败"),
        )
    after = _wo(sb, wo.wo_id)
    return result(outcome, workOrder=wo_json(after[1] if after else wo))


def _wo_sample(sb: Sandbox, c: Customer) -> Call | None:
    orders = sb.platforms(c).sps
    return Call(params={"woId": orders[0].wo_id}) if orders else None
