"""VAS platform (增值业务管理平台): SP subscriptions, second-confirmation logs, unsubscribe.

Style: `{"code": "000000", "desc": "success", "result": {...}}`; errors carry a six-digit code.
"""

from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import BOOLEAN, STRING, Call, Param, Reply, body_schema
from firstcall.sandbox.numbering import KeyKind
from firstcall.sandbox.systems.common import System, by_param
from firstcall.sandbox.systems.vas_commands import (
    subscription_sample,
    unsubscribe_all,
    unsubscribe_one,
)
from firstcall.sandbox.systems.vas_render import fail, subscriptions_reply


def _subscriptions(sb: Sandbox, call: Call) -> Reply:
    number = call.query.get("msisdn", "")
    c = sb.locate(number, (KeyKind.MOBILE,)) if number else None
    if c is None:
        return fail(404, "UNKNOWN_SUBSCRIBER", "用户不存在")
    return subscriptions_reply(sb, c)


SYSTEM = System("vas", "VAS platform", fail)
SYSTEM.get(
    "/v1/subscriptions",
    "SP subscriptions of a number with order channel, second-confirmation log and status",
    _subscriptions,
    by_param("msisdn", KeyKind.MOBILE, where="query"),
    query=(Param("msisdn", "mobile number", required=True),),
)
SYSTEM.post(
    "/v1/subscriptions/{subscriptionId}/unsubscribe",
    "Unsubscribe one SP service",
    unsubscribe_one,
    subscription_sample,
    description="Body {blockFutureOrders} optional (增值业务屏蔽). Answers with all "
    "subscriptions after.",
    body=body_schema(blockFutureOrders=BOOLEAN),
)
SYSTEM.post(
    "/v1/unsubscribe-all",
    "Unsubscribe every SP service of a number",
    unsubscribe_all,
    lambda sb, c: (
        Call(body={"msisdn": c.mobile.msisdn, "blockFutureOrders": True}) if c.mobile else None
    ),
    description="Body {msisdn, blockFutureOrders}.",
    body=body_schema("msisdn", msisdn=STRING, blockFutureOrders=BOOLEAN),
)
ENDPOINTS = SYSTEM.endpoints
