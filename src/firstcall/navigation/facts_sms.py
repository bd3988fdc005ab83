"""Checks of SMS delivery to a mobile number: what HLR holds for SMS (F-MOB-NOSMS S3), what the
SMS centre did with the messages sent to the number (S4), operator-side blocking of 106
industry messages (S5) and the SMS centre's alarms (S6).

Like every check they read through the unified view, so the answers come from the call cache.
"""

import asyncio
from typing import Any

from firstcall.customers.unified import CustomerView
from firstcall.navigation.facts import T, check, for_product, record_of
from firstcall.navigation.facts_mobile import crm_mobile, mobile_read, ok

INDUSTRY_PREFIX = "106"  # industry and verification-code senders (106xxxx)


def latest_first(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(messages, key=lambda m: str(m.get("submitted_at") or ""), reverse=True)


@check(
    "hlr.sms",
    "hlr",
    hlr_sms_mismatch=T.BOOLEAN,
    hlr_mcef=T.BOOLEAN,
    hlr_mnrf=T.BOOLEAN,
)
async def hlr_sms(view: CustomerView) -> dict[str, Any]:
    """SMS in HLR against CRM: the SMS teleservice TS21 missing although SMS is ordered, or an
    incoming barring (operator lock or ODB BAIC) the number's state does not call for; and the
    dynamic flags that hold messages back, memory capacity exceeded (MCEF) and not reachable
    (MNRF)."""
    crm, hlr = await asyncio.gather(crm_mobile(view), mobile_read(view, "hlr", "subscriber"))
    if not hlr:
        return {"hlr_sms_mismatch": bool(crm["has_mobile"]), "hlr_mcef": False, "hlr_mnrf": False}
    missing_ts21 = bool(crm["mob_sms"]) and not hlr.get("sms_mt_provisioned")
    return {
        "hlr_sms_mismatch": missing_ts21 or bool(hlr.get("barring_in")),
        "hlr_mcef": bool(hlr.get("mcef")),
        "hlr_mnrf": bool(hlr.get("mnrf")),
    }


@check(
    "smsc.delivery",
    "smsc",
    sms_records=T.FLOAT,
    sms_last_state=T.STRING,
    sms_last_cause=T.STRING,
)
async def smsc_delivery(view: CustomerView) -> dict[str, Any]:
    """The messages the SMS centre has for the number (mobile terminated): how many, and how the
    latest one ended (delivered, retrying, failed … with its MAP cause such as
    memoryCapacityExceeded or absentSubscriberSM)."""
    messages = latest_first((await mobile_read(view, "smsc", "messages")).get("messages") or [])
    last = messages[0] if messages else {}
    return {
        "sms_records": float(len(messages)),
        "sms_last_state": str(last.get("state") or ""),
        "sms_last_cause": str(last.get("fail_cause") or ""),
    }


@check(
    "smsc.blocking",
    "smsc",
    sms_blocked=T.BOOLEAN,
    sms_106_records=T.FLOAT,
    sms_106_delivered=T.BOOLEAN,
)
async def smsc_blocking(view: CustomerView) -> dict[str, Any]:
    """Industry messages (106 senders) to the number: blocked at the operator (the number's 106
    block or spam interception, or the latest 106 message intercepted), how many reached the
    SMS centre, and whether the latest one was delivered."""
    blocking, sent = await asyncio.gather(
        mobile_read(view, "smsc", "blocking"), mobile_read(view, "smsc", "messages")
    )
    industry = [
        m
        for m in latest_first(sent.get("messages") or [])
        if str(m.get("sender") or "").startswith(INDUSTRY_PREFIX)
    ]
    last = industry[0] if industry else {}
    blocked = bool(blocking.get("blocked") or blocking.get("block_106"))
    return {
        "sms_blocked": blocked or last.get("state") == "intercepted",
        "sms_106_records": float(len(industry)),
        "sms_106_delivered": last.get("state") == "delivered",
    }


@check("alarms.smsc", "alarms", smsc_alarm_count=T.FLOAT)
async def smsc_alarms(view: CustomerView) -> dict[str, Any]:
    """Active alarms of the SMS centre serving the number: when it is down, every user on it
    misses messages at once."""

    async def centre_alarms(number: str) -> dict[str, Any]:
        smsc = str((await record_of(view, number, "smsc", "blocking")).get("smsc_id") or "")
        if not smsc:
            return {"smsc_alarm_count": 0.0}
        active = ok(await view.reads.get("alarms", "active", smsc))
        return {"smsc_alarm_count": float(active.get("total") or len(active.get("alarms") or []))}

    return await for_product(view, "mobile", centre_alarms)
