"""CRM: customers, their product instances (the source of truth for what each platform should
have) and their accepted orders.

Contract (`/crm/api/v1`): every answer is HTTP 200 `{"resultCode", "resultMsg", "data"}`;
`resultCode` "0" is success, "1004" is "no such customer" (HTTP 200, not 404).
"""

from typing import Any

from firstcall.integrations.connectors.base import Connector, MalformedResponse, NotFoundError
from firstcall.integrations.connectors.doc import Doc, Json, state_of
from firstcall.integrations.connectors.kinds import register

# CRM user status (用户状态) -> FirstCall product state.
PRODUCT_STATES = {
    "正常": "active",
    "在用": "active",
    "欠费单停": "arrears_one_way",
    "欠费双停": "arrears_two_way",
    "欠费停机": "arrears_stopped",
    "到期停机": "expired",
    "用户申请停机": "user_stopped",
    "用户申请停机（停机保号）": "user_stopped",
    "挂失停机": "reported_lost",
    "涉诈关停": "fraud_shutdown",
    "实名待核验关停": "identity_shutdown",
    "预拆机": "pending_removal",
    "拆机": "removed",
    "已拆机": "removed",
    "新装在途": "installing",
}
PAY_MODES = {"预付费": "prepaid", "后付费": "postpaid", "准预付费": "quasi_prepaid"}
# Product fields present only for some product types: contract key -> normalised key.
OPTIONAL_TEXTS = (
    ("contract", "contract"),
    ("dvlpChannel", "channel"),
    ("imsi", "imsi"),
    ("iccid", "iccid"),
    ("accessType", "access_type"),
    ("rate", "rate"),
    ("billingType", "billing_type"),
    ("installAddress", "install_address"),
    ("package", "package"),
    ("boundBroadband", "bound_broadband"),
    ("access", "access"),
)
ORDER_STATES = {"已竣工": "completed", "在途": "in_progress", "失败": "failed", "作废": "cancelled"}


def _data(body: Any) -> Doc:
    doc = Doc(body)
    code = doc.text("resultCode")
    if code == "1004":
        raise NotFoundError(doc.text("resultMsg"))
    if code != "0":
        raise MalformedResponse(f"CRM resultCode {code}: {doc.raw('resultMsg')}")
    return doc.obj("data")


def customer_of(c: Doc) -> Json:
    region = c.obj("region")
    persona = c.obj("persona30d")
    return {
        "cust_id": c.text("custId"),
        "name": c.text("custName"),
        "type": c.text("custType"),
        "cert_type": c.text("certType"),
        "cert_no": c.text("certNo"),
        "real_name": c.text("realNameStatus") == "1",
        "real_person_check": c.text("realPersonVerify"),
        "star_level": c.text("starLevel"),
        "star_valid_to": c.text("starValidTo"),
        "key_customer": c.text("isKeyCust") == "是",
        "age": c.integer("age"),
        "service_age_months": c.integer("servAgeMonths"),
        "city_flag": c.text("cityFlag"),
        "region": {
            "province_code": region.text("provinceCode"),
            "province": region.text("province"),
            "city_code": region.text("latnCode"),
            "city": region.text("latn"),
            "district": region.text("district"),
            "branch": region.text("branch"),
            "grid": region.text("grid"),
        },
        "contact_phone": c.text("contactPhone"),
        "address": c.text("address"),
        "acct_id": c.text("acctId"),
        "pay_mode": state_of(c.text("payMode"), PAY_MODES),
        "pay_mode_label": c.text("payMode"),
        "persona_30d": {
            "repeat_complaints": persona.integer("repeatComplaints"),
            "cross_level_complaints": persona.integer("crossLevelComplaints"),
            "refunds_90d": persona.integer("refunds90d"),
        },
        "service_numbers": [
            {"product_type": n.text("prodType"), "number": n.text("serviceNo")}
            for n in c.items("serviceNumbers")
        ],
    }


def product_of(p: Doc) -> Json:
    status = p.text("userStatus")
    product: Json = {
        "product_id": p.text("prodInstId"),
        "product_type": p.text("prodType"),
        "number": p.text("busiNbr"),
        "number_location": p.text("nbrLocation"),
        "offer_id": p.text("mainOfferId"),
        "offer_name": p.text("mainOfferName"),
        "status": status,
        "state": state_of(status, PRODUCT_STATES),
    }
    if p.has("effectiveTime"):
        product["effective_date"] = p.text("effectiveTime")
    if "expireTime" in p.data or "expireDate" in p.data:
        product["expire_date"] = p.opt_text("expireTime") or p.opt_text("expireDate")
    for key, name in OPTIONAL_TEXTS:
        if p.has(key):
            product[name] = p.text(key)
    if p.has("downMbps"):
        product["down_mbps"] = p.integer("downMbps")
        product["up_mbps"] = p.integer("upMbps")
    features = p.opt_obj("features")
    if features is not None:
        product["features"] = {
            name: features.flag(name)
            for name in ("outgoing", "sms", "data", "volte", "intl_roaming", "intl_long_distance")
        }
    if p.has("addOns"):
        product["add_ons"] = [
            {
                "name": a.text("name"),
                "active": a.text("status") == "已开通",
                "status": a.text("status"),
            }
            for a in p.items("addOns")
        ]
    ont = p.opt_obj("ont")
    if ont is not None:
        product["ont"] = {k: ont.text(k) for k in ("vendor", "model", "sn", "loid", "mode", "mac")}
    stb = p.opt_obj("stb")
    if stb is not None:
        product["stb"] = {k: stb.text(k) for k in ("vendor", "model", "mac", "sn")}
    return product


def order_of(o: Doc) -> Json:
    status = o.text("status")
    return {
        "order_id": o.text("orderId"),
        "work_order_id": o.text("woId"),
        "product_type": o.text("prodType"),
        "action": o.text("action"),
        "title": o.text("title"),
        "accepted_at": o.text("acceptTime"),
        "channel": o.text("channel"),
        "staff_id": o.text("staffId"),
        "promised_effect": o.text("promisedEffect"),
        "status": status,
        "state": state_of(status, ORDER_STATES),
        "fail_reason": o.opt_text("failReason"),
    }


@register
class CrmConnector(Connector):
    kind = "crm"
    error_keys = ("resultCode", "resultMsg")

    async def customer_by_number(self, number: str) -> Json:
        """The customer owning a service number (mobile, broadband account, fixed number, IPTV
        account or account id), with every product instance.

        GET /api/v1/customers?serviceNo=… then GET /api/v1/customers/{custId}/products.
        Returns the customer (cust_id, name, type, cert_type, cert_no, real_name,
        real_person_check, star_level, star_valid_to, key_customer, age, service_age_months,
        city_flag, region{province_code, province, city_code, city, district, branch, grid},
        contact_phone, address, acct_id, pay_mode, pay_mode_label, persona_30d{…},
        service_numbers[{product_type, number}]) plus `products` (see `products`).
        Raises NotFoundError on resultCode 1004.
        """
        body = await self.fetch("customer", "/api/v1/customers", serviceNo=number)
        customer = customer_of(_data(body))
        return {**customer, "products": await self._products(customer["cust_id"])}

    async def find(self, number: str) -> Json:
        """The customer owning a service number, without products: one request, so a caller can
        start reading the platforms of every `service_numbers` entry while `products` runs.
        GET /api/v1/customers?serviceNo=….
        Returns the keys of `customer_by_number` except `products`; NotFoundError on resultCode
        1004."""
        return customer_of(
            _data(await self.fetch("customer", "/api/v1/customers", serviceNo=number))
        )

    async def customer(self, cust_id: str) -> Json:
        """A customer by CRM customer id, with products. GET /api/v1/customers/{custId} (+ its
        products). Returns the same shape as `customer_by_number`; NotFoundError on resultCode
        1004."""
        customer = customer_of(_data(await self.fetch("customer", f"/api/v1/customers/{cust_id}")))
        return {**customer, "products": await self._products(cust_id)}

    async def products(self, cust_id: str) -> Json:
        """Every product instance of a customer. GET /api/v1/customers/{custId}/products.

        Returns {cust_id, products[…]}; each product has product_id, product_type
        (mobile|broadband|fixed|iptv), number, number_location, offer_id, offer_name,
        status (CRM label) and state (active, arrears_one_way, arrears_two_way,
        arrears_stopped, expired, user_stopped, reported_lost, fraud_shutdown,
        identity_shutdown, pending_removal, removed, installing, other); and by type:
        - mobile: effective_date, expire_date, contract, channel, imsi, iccid,
          features{outgoing, sms, data, volte, intl_roaming, intl_long_distance},
          add_ons[{name, active, status}];
        - broadband: access_type, rate, down_mbps, up_mbps, billing_type, expire_date,
          ont{vendor, model, sn, loid, mode, mac}, install_address;
        - iptv: package, stb{vendor, model, mac, sn}, bound_broadband, access.
        NotFoundError on resultCode 1004.
        """
        return {"cust_id": cust_id, "products": await self._products(cust_id)}

    async def _products(self, cust_id: str) -> list[Json]:
        data = _data(await self.fetch("products", f"/api/v1/customers/{cust_id}/products"))
        return [product_of(p) for p in data.items("products")]

    async def orders(self, cust_id: str) -> Json:
        """Orders accepted for the customer. GET /api/v1/customers/{custId}/orders.
        Returns {cust_id, orders[{order_id, work_order_id, product_type, action, title,
        accepted_at, channel, staff_id, promised_effect, status, state (completed, in_progress,
        failed, cancelled, other), fail_reason}]}. NotFoundError on resultCode 1004."""
        data = _data(await self.fetch("orders", f"/api/v1/customers/{cust_id}/orders"))
        return {
            "cust_id": data.text("custId"),
            "orders": [order_of(o) for o in data.items("orders")],
        }
