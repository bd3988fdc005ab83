"""PCRF: the data policy, QoS and throttling state of a mobile number; re-derive the policy.

Contract (`/pcrf/v1`): Diameter-like `{"Result-Code": 2001, "subscriber": …}`; errors
`{"Result-Code", "Error-Message"}`, HTTP 404 with 5030 (DIAMETER_USER_UNKNOWN), HTTP 409 when
the PCRF fails a command.
"""

from typing import Any

from firstcall.integrations.connectors.base import Connector
from firstcall.integrations.connectors.doc import Doc, Json
from firstcall.integrations.connectors.kinds import register

SUCCESS = 2001


def policy_of(body: Any) -> Json:
    doc = Doc(body)
    doc.require("Result-Code", SUCCESS, "PCRF")
    s = doc.obj("subscriber")
    qos = s.obj("qos")
    return {
        "msisdn": s.text("msisdn"),
        "policy_name": s.text("policyName"),
        "qos_down_kbps": qos.integer("APN-AMBR-DL-kbps"),
        "qos_up_kbps": qos.integer("APN-AMBR-UL-kbps"),
        "qci": qos.integer("QCI"),
        "throttled": s.flag("throttled"),
        "throttle_reason": s.opt_text("throttleReason"),
        "usage_percent": s.integer("usagePercent"),
        "usage_threshold_percent": s.integer("usageThresholdPercent"),
    }


@register
class PcrfConnector(Connector):
    kind = "pcrf"
    error_keys = ("Result-Code", "Error-Message")

    async def policy(self, msisdn: str) -> Json:
        """The data policy of a mobile number. GET /v1/subscribers/{msisdn}/policy.

        Returns {msisdn, policy_name, qos_down_kbps, qos_up_kbps, qci, throttled,
        throttle_reason (e.g. 达量限速, or None), usage_percent, usage_threshold_percent}.
        Throttled while usage is under the threshold is a policy mismatch.
        NotFoundError on 404 5030.
        """
        return policy_of(await self.fetch("policy", f"/v1/subscribers/{msisdn}/policy"))

    async def resync(self, msisdn: str, idempotency_key: str) -> Json:
        """Re-derive the policy from the plan and usage. POST /v1/subscribers/{msisdn}/resync.
        Returns the policy after (as `policy`). CommandRefused on 409."""
        path = f"/v1/subscribers/{msisdn}/resync"
        return policy_of(await self.command("resync", path, {}, idempotency_key))
