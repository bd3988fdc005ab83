"""SMS: what HLR holds for SMS against what CRM sold (F-MOB-NOSMS S3), what the SMS centre did
with the messages sent to the number (S4) and operator-side blocking of 106 industry messages
(S5). The SMS centre's alarms (S6) are the network family's.

Each check reads through the unified view, so its answers come from the call cache.
"""

import asyncio
from typing import Any

from django.utils.translation import gettext_lazy as _

from firstcall.customers.unified import CustomerView
from firstcall.navigation.checks.mobile import crm_mobile, hlr_page, mobile_read
from firstcall.navigation.checks.page import RECORDS, Page, Sight, Table, describe, row, when
from firstcall.navigation.checks.registry import T, check, shows

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


# The pages.


@shows("smsc.delivery", "smsc.blocking")
async def smsc_page(sight: Sight, page: Page) -> None:
    product = await sight.product("mobile")
    describe(page, product)
    messages = latest_first((sight.data("smsc.messages") or {}).get("messages") or [])
    if page.check.id == "smsc.blocking":
        blocking = sight.data("smsc.blocking") or {}
        messages = [m for m in messages if str(m.get("sender") or "").startswith(INDUSTRY_PREFIX)]
        last = messages[0] if messages else {}
        page.rows += [
            row(_("106 messages blocked"), False, bool(blocking.get("block_106")), "sms_blocked"),
            row(_("Spam interception"), False, bool(blocking.get("spam_intercept")), "sms_blocked"),
            row(_("Blocked on the number"), False, bool(blocking.get("blocked")), "sms_blocked"),
            row(
                _("Latest 106 message"),
                None,
                last.get("status"),
                "sms_106_delivered",
                "sms_106_records",
                differs=last.get("state") == "intercepted",
            ),
        ]
    else:
        last = messages[0] if messages else {}
        sms = bool((product.get("features") or {}).get("sms"))
        said = " · ".join(str(x) for x in (last.get("status"), last.get("fail_cause")) if x)
        page.rows += [
            row(_("Messages for the number"), None, len(messages), "sms_records"),
            row(
                _("Latest message"),
                sms,
                said or None,
                "sms_last_state",
                "sms_last_cause",
                differs=bool(last) and last.get("state") != "delivered",
            ),
        ]
    table = Table(
        _("Messages to the number"),
        [_("Submitted"), _("Sender"), _("Result"), _("Cause"), _("Attempts")],
    )
    for m in messages[:RECORDS]:
        cells = [when(m.get("submitted_at")), m.get("sender"), m.get("status"), m.get("fail_cause")]
        table.rows.append(([*cells, m.get("attempts")], m.get("state") != "delivered"))
    if messages:
        page.tables.append(table)


# HLR's SMS rows are on the mobile family's HLR page.
shows("hlr.sms")(hlr_page)
