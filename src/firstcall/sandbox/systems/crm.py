"""CRM (客户关系管理): customers, product instances with status, accepted orders.

Style: an ESB-like envelope `{"resultCode": "0", "resultMsg": "success", "data": ...}` with
camelCase fields. Business errors come back with HTTP 200 and a non-zero resultCode, as many
operator CRMs do (1004 customer not found, 1001 missing parameter).
"""

from typing import Any

from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Param, Reply
from firstcall.sandbox.model import Customer
from firstcall.sandbox.numbering import KeyKind
from firstcall.sandbox.systems.common import SERVICE_KINDS, System, by_param
from firstcall.sandbox.systems.crm_render import customer_json, product_json


def ok(data: Any) -> Reply:
    return Reply(200, {"resultCode": "0", "resultMsg": "success", "data": data})


def fail(status: int, code: str, message: str) -> Reply:
    codes = {400: "1001", 404: "1004", 422: "1009", 500: "9999"}
    return Reply(
        200 if status in (400, 404) else status,
        {"resultCode": codes.get(status, "9999"), "resultMsg": f"{code}: {message}", "data": None},
    )


def _find(sb: Sandbox, call: Call) -> Customer | None:
    cust_id = call.params.get("custId") or call.query.get("custId", "")
    if cust_id:
        return sb.locate(cust_id, (KeyKind.CUSTOMER,))
    number = call.query.get("serviceNo", "")
    return sb.locate(number, (*SERVICE_KINDS, KeyKind.ACCOUNT)) if number else None


def _customer(sb: Sandbox, call: Call) -> Reply:
    if not call.params and not (call.query.get("serviceNo") or call.query.get("custId")):
        return fail(400, "MISSING_PARAMETER", "serviceNo or custId is required")
    c = _find(sb, call)
    if c is None:
        return fail(404, "CUSTOMER_NOT_FOUND", "客户不存在")
    return ok(customer_json(c, sb.platforms(c)))


def _products(sb: Sandbox, call: Call) -> Reply:
    c = _find(sb, call)
    if c is None:
        return fail(404, "CUSTOMER_NOT_FOUND", "客户不存在")
    p = sb.platforms(c)
    return ok(
        {"custId": c.cust_id, "products": [product_json(c, pr) for pr in p.crm.products.values()]}
    )


def _orders(sb: Sandbox, call: Call) -> Reply:
    c = _find(sb, call)
    if c is None:
        return fail(404, "CUSTOMER_NOT_FOUND", "客户不存在")
    orders = sb.platforms(c).crm.orders
    return ok(
        {
            "custId": c.cust_id,
            "orders": [
                {
                    "orderId": o.order_id,
                    "woId": o.wo_id,
                    "prodType": o.product,
                    "action": o.action,
                    "title": o.title,
                    "acceptTime": o.accepted,
                    "channel": o.channel,
                    "staffId": o.staff,
                    "promisedEffect": o.promised_effect,
                    "status": o.status,
                    "failReason": o.fail_reason or None,
                }
                for o in orders
            ],
        }
    )


SYSTEM = System("crm", "CRM", fail)
SYSTEM.get(
    "/api/v1/customers",
    "Find a customer by service number or customer id",
    _customer,
    by_param("serviceNo", *SERVICE_KINDS, where="query"),
    query=(
        Param(
            "serviceNo",
            "mobile number, broadband account, fixed number, IPTV account or account id",
        ),
        Param("custId", "CRM customer id"),
    ),
    description="Exactly one of serviceNo / custId. Not found is resultCode 1004 (HTTP 200).",
)
SYSTEM.get(
    "/api/v1/customers/{custId}",
    "A customer by CRM customer id",
    _customer,
    by_param("custId", KeyKind.CUSTOMER),
)
SYSTEM.get(
    "/api/v1/customers/{custId}/products",
    "Every product instance of the customer with its user status (the source of truth)",
    _products,
    by_param("custId", KeyKind.CUSTOMER),
)
SYSTEM.get(
    "/api/v1/customers/{custId}/orders",
    "Orders accepted for the customer (受理订单)",
    _orders,
    by_param("custId", KeyKind.CUSTOMER),
)
ENDPOINTS = SYSTEM.endpoints
