"""VAS platform: SP subscriptions of a number with order channel, second-confirmation evidence and
status; unsubscribe one or all (optionally blocking future orders, 增值业务屏蔽).

Contract (`/vas/v1`): `{"code": "000000", "desc": "success", "result": …}`; errors `{"code",
"desc", "errorCode"}`, HTTP 404 UNKNOWN_SUBSCRIBER / NO_SUCH_SUBSCRIPTION, HTTP 409 when the
platform fails a command.
"""

from typing import Any

from firstcall.integrations.connectors.base import Connector
from firstcall.integrations.connectors.doc import Doc, Json, state_of
from firstcall.integrations.connectors.kinds import register

STATES = {"已订购": "active", "已退订": "unsubscribed", "暂停": "suspended"}


def subscriptions_of(body: Any) -> Json:
    doc = Doc(body)
    doc.require("code", "000000", "VAS", "desc")
    result = doc.obj("result")
    subscriptions = []
    for s in result.items("subscriptions"):
        status = s.text("status")
        subscriptions.append(
            {
                "subscription_id": s.text("subscriptionId"),
                "sp_name": s.text("spName"),
                "sp_code": s.text("spCode"),
                "service_code": s.text("serviceCode"),
                "access_number": s.text("accessNo"),
                "service_name": s.text("serviceName"),
                "charge_type": s.text("chargeType"),
                "ordered_at": s.text("orderTime"),
                "order_channel": s.text("orderChannel"),
                "confirm_log": s.text("confirmLog"),
                "second_confirmed": s.flag("secondConfirmed"),
                "status": status,
                "state": state_of(status, STATES),
                "unsubscribed_at": s.opt_text("unsubscribeTime"),
                "usage": s.text("usage"),
            }
        )
    return {
        "msisdn": result.text("msisdn"),
        "vas_blocked": result.flag("vasBlock"),
        "subscriptions": subscriptions,
    }


@register
class VasConnector(Connector):
    kind = "vas"
    error_keys = ("errorCode", "desc")

    async def subscriptions(self, msisdn: str) -> Json:
        """SP subscriptions of a mobile number. GET /v1/subscriptions?msisdn=….

        Returns {msisdn, vas_blocked (future SP orders blocked), subscriptions[{subscription_id,
        sp_name, sp_code, service_code, access_number, service_name, charge_type, ordered_at,
        order_channel, confirm_log, second_confirmed, status (label), state (active,
        unsubscribed, suspended, other), unsubscribed_at, usage}]}.
        NotFoundError on 404 UNKNOWN_SUBSCRIBER.
        """
        return subscriptions_of(
            await self.fetch("subscriptions", "/v1/subscriptions", msisdn=msisdn)
        )

    async def unsubscribe(
        self, subscription_id: str, idempotency_key: str, block_future_orders: bool = False
    ) -> Json:
        """Unsubscribe one SP service. POST /v1/subscriptions/{subscriptionId}/unsubscribe
        {blockFutureOrders}. Returns every subscription of the number after (as
        `subscriptions`). NotFoundError on 404 NO_SUCH_SUBSCRIPTION; CommandRefused on 409."""
        path = f"/v1/subscriptions/{subscription_id}/unsubscribe"
        payload = {"blockFutureOrders": bool(block_future_orders)}
        return subscriptions_of(await self.command("unsubscribe", path, payload, idempotency_key))

    async def unsubscribe_all(
        self, msisdn: str, idempotency_key: str, block_future_orders: bool = False
    ) -> Json:
        """Unsubscribe every SP service of a number. POST /v1/unsubscribe-all {msisdn,
        blockFutureOrders}. Returns the subscriptions after (as `subscriptions`).
        CommandRefused on 409."""
        payload = {"msisdn": msisdn, "blockFutureOrders": bool(block_future_orders)}
        body = await self.command(
            "unsubscribe_all", "/v1/unsubscribe-all", payload, idempotency_key
        )
        return subscriptions_of(body)
