"""How the VAS platform answers: its envelope, errors and subscription records."""

from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Reply
from firstcall.sandbox.model import Customer
from firstcall.sandbox.platforms.state import VasSub


def fail(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"code": f"{status}{1:03d}", "desc": message, "errorCode": code})


def sub_json(s: VasSub) -> dict:
    return {
        "subscriptionId": s.sub_id,
        "spName": s.sp.sp_name,
        "spCode": s.sp.sp_code,
        "serviceCode": s.sp.service_code,
        "accessNo": s.sp.access_no,
        "serviceName": s.sp.service_name,
        "chargeType": f"包月 {s.sp.monthly_fee:.2f}元/月",
        "orderTime": s.ordered,
        "orderChannel": s.channel,
        "confirmLog": s.confirm_log,
        "secondConfirmed": s.confirm_log != "无",
        "status": s.status,
        "unsubscribeTime": s.unsubscribed,
        "usage": f"本月下发内容 {s.monthly_count} 条",
    }


def subscriptions_reply(sb: Sandbox, c: Customer) -> Reply:
    assert c.mobile is not None
    m = sb.store.of(c.index)
    subs = sb.platforms(c).vas or []
    return Reply(
        200,
        {
            "code": "000000",
            "desc": "success",
            "result": {
                "msisdn": c.mobile.msisdn,
                "vasBlock": bool(m and m.vas_blocked),
                "subscriptions": [sub_json(s) for s in subs],
            },
        },
    )
