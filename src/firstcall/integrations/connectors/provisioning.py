"""Service provisioning (服务开通): work orders with their NE commands; resend, resync one
platform to CRM (一键修复), resume service (复机).

Contract (`/sps/v1`): `{"returnCode": "00000", "returnMessage", …}`; not found is HTTP 404
E1004; a refusal is HTTP 409 E1009; a network element failing the command is HTTP 200 with
returnCode E2003 and nothing changed.
"""

from typing import Any

from firstcall.integrations.connectors.base import CommandRefused, Connector, MalformedResponse
from firstcall.integrations.connectors.doc import Doc, Json, state_of
from firstcall.integrations.connectors.kinds import register

OK = "00000"
NE_FAILED = "E2003"
STATES = {
    "成功": "succeeded",
    "待发": "pending",
    "已发": "sent",
    "超时": "timed_out",
    "失败": "failed",
    "部分失败": "partially_failed",
    "回滚": "rolled_back",
    "待装维": "awaiting_installation",
}


def _ok(body: Any) -> Doc:
    doc = Doc(body)
    code = doc.text("returnCode")
    if code == NE_FAILED:
        raise CommandRefused(f"{code}: {doc.raw('returnMessage')}")
    if code != OK:
        raise MalformedResponse(f"SPS returnCode {code}: {doc.raw('returnMessage')}")
    return doc


def work_order_of(w: Doc) -> Json:
    status = w.text("status")
    return {
        "work_order_id": w.text("woId"),
        "crm_order_id": w.opt_text("crmOrderId"),
        "action": w.text("action"),
        "title": w.text("title"),
        "created_at": w.text("createTime"),
        "promised_effect": w.text("promisedEffect"),
        "status": status,
        "state": state_of(status, STATES),
        "retries": w.integer("retries"),
        "commands": [
            {
                "ne": c.text("ne"),
                "command": c.text("command"),
                "result": c.text("result"),
                "ok": c.text("result") == "成功",
            }
            for c in w.items("commands")
        ],
    }


@register
class ProvisioningConnector(Connector):
    kind = "provisioning"
    error_keys = ("returnCode", "returnMessage")

    async def work_orders(self, number: str) -> Json:
        """Provisioning work orders of a service number, newest first.
        GET /v1/work-orders?serviceNo=….

        Returns {number, work_orders[{work_order_id, crm_order_id, action, title, created_at,
        promised_effect, status (label), state (succeeded, pending, sent, timed_out, failed,
        partially_failed, rolled_back, awaiting_installation, other), retries,
        commands[{ne, command, result, ok}]}]}. NotFoundError on 404 E1004.
        """
        body = _ok(await self.fetch("work_orders", "/v1/work-orders", serviceNo=number))
        return {
            "number": number,
            "work_orders": [work_order_of(w) for w in body.items("workOrders")],
        }

    async def work_order(self, wo_id: str) -> Json:
        """One work order. GET /v1/work-orders/{woId}. Returns one item of `work_orders`;
        NotFoundError on 404 E1004."""
        return work_order_of(
            _ok(await self.fetch("work_order", f"/v1/work-orders/{wo_id}")).obj("workOrder")
        )

    async def resend(self, wo_id: str, idempotency_key: str) -> Json:
        """Resend the failed or timed-out NE commands of a work order.
        POST /v1/work-orders/{woId}/resend. Returns {result, work_order} (the order after).
        CommandRefused on 409 E1009 (waits for its effective date or installation) and on E2003
        (an NE failed again)."""
        path = f"/v1/work-orders/{wo_id}/resend"
        body = _ok(await self.command("resend", path, {}, idempotency_key))
        return {"result": body.text("result"), "work_order": work_order_of(body.obj("workOrder"))}

    async def resync(self, number: str, platform: str, idempotency_key: str) -> Json:
        """Make one platform (HLR, AAA, OCS, PCRF, IPTV, OLT) match CRM for the customer of a
        service number (一键修复). POST /v1/resync {serviceNo, platform}.
        Returns {platform, result}. CommandRefused on 409 (e.g. nothing on that platform) and on
        E2003 (the platform failed the command; nothing changed); http_4xx for an unknown
        platform."""
        payload = {"serviceNo": number, "platform": platform.upper()}
        body = _ok(await self.command("resync", "/v1/resync", payload, idempotency_key))
        return {"platform": body.text("platform"), "result": body.text("result")}

    async def resume(self, number: str, idempotency_key: str) -> Json:
        """Resume service (复机) whose stop cause is gone. POST /v1/resume {serviceNo}.
        Returns {result, user_status{mobile|broadband|fixed|iptv: CRM label}}.
        CommandRefused on 409 E1009 (arrears outstanding, the owner must verify in person)."""
        payload = {"serviceNo": number}
        body = _ok(await self.command("resume", "/v1/resume", payload, idempotency_key))
        status = body.obj("userStatus")
        return {
            "result": body.text("result"),
            "user_status": {key: status.text(key) for key in status.data},
        }
