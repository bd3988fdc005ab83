"""Mobile: the mobile product as CRM has it (state, ordered features) against what HLR holds for
calls, data and roaming, and the call records (F-MOB-NOCALL, F-MOB-DATA, F-MOB-IROAM).

Each check reads through the unified view, so its answers come from the call cache. HLR is
compared with CRM (what the customer has ordered), never with a fixed expectation.
"""

import asyncio
from typing import Any

from django.utils.translation import gettext_lazy as _

from firstcall.core import clock
from firstcall.customers.comparison import MISSING, MOBILE_STOPS_BOTH_WAYS, PRESENT
from firstcall.customers.unified import CustomerView
from firstcall.integrations.records import moment
from firstcall.navigation.checks.page import (
    RECORDS,
    Page,
    Row,
    Sight,
    Table,
    describe,
    focus,
    row,
    state,
    when,
)
from firstcall.navigation.checks.reads import RECENT, product_details, product_read
from firstcall.navigation.checks.registry import T, check, shows


async def mobile_product(view: CustomerView) -> dict[str, Any]:
    return await product_details(view, "mobile")


async def mobile_read(
    view: CustomerView, system: str, operation: str, *args: str
) -> dict[str, Any]:
    """A platform's record of the call's mobile number; empty when there is no mobile number or
    the platform has no such record, CheckFailed when the platform cannot be read. Started with
    the typed number alongside CRM when it is a mobile number (`for_product`)."""
    return await product_read(view, "mobile", system, operation, *args)


@check(
    "crm.mobile",
    "crm",
    has_mobile=T.BOOLEAN,
    mob_state=T.STRING,
    mob_outgoing=T.BOOLEAN,
    mob_sms=T.BOOLEAN,
    mob_data=T.BOOLEAN,
    mob_intl_roaming=T.BOOLEAN,
    mob_intl_ld=T.BOOLEAN,
)
async def crm_mobile(view: CustomerView) -> dict[str, Any]:
    """The mobile product as CRM has it: its state (active, arrears_one_way, arrears_two_way,
    fraud_shutdown, identity_shutdown, reported_lost, user_stopped …) and the features the
    customer has ordered (outgoing calls, SMS, data, international roaming and long distance)."""
    product = await mobile_product(view)
    features = product.get("features") or {}
    return {
        "has_mobile": bool(product),
        "mob_state": str(product.get("state") or ""),
        "mob_outgoing": bool(features.get("outgoing")),
        "mob_sms": bool(features.get("sms")),
        "mob_data": bool(features.get("data")),
        "mob_intl_roaming": bool(features.get("intl_roaming")),
        "mob_intl_ld": bool(features.get("intl_long_distance")),
    }


@check(
    "hlr.calls",
    "hlr",
    hlr_out_barred=T.BOOLEAN,
    hlr_ts11=T.BOOLEAN,
    hlr_ocsi_missing=T.BOOLEAN,
    hlr_intl_mismatch=T.BOOLEAN,
    hlr_call_mismatch=T.BOOLEAN,
    hlr_ss_baoc=T.BOOLEAN,
)
async def hlr_calls(view: CustomerView) -> dict[str, Any]:
    """What HLR holds for outgoing calls against what CRM sold: an operator lock or ODB barring
    all outgoing calls, the telephony teleservice TS11, the O-CSI trigger a prepaid number needs,
    international calls barred or open unlike the ordered feature. The customer's own call
    barring (SS BAOC, set from the handset) is told apart: it is not a data error."""
    crm, hlr, ocs = await asyncio.gather(
        crm_mobile(view),
        mobile_read(view, "hlr", "subscriber"),
        mobile_read(view, "ocs", "subscriber"),
    )
    if not hlr:
        return {
            "hlr_out_barred": False,
            "hlr_ts11": False,
            "hlr_ocsi_missing": False,
            "hlr_intl_mismatch": False,
            "hlr_call_mismatch": bool(crm["has_mobile"]),  # CRM has the number, HLR does not
            "hlr_ss_baoc": False,
        }
    barred = bool(hlr.get("barring_out"))
    ts11 = "TS11" in (hlr.get("teleservices") or [])
    ocsi_missing = ocs.get("pay_type") == "prepaid" and not hlr.get("o_csi")
    intl_open = hlr.get("odb_outgoing") == "NOBOC"
    intl_mismatch = not barred and intl_open != crm["mob_intl_ld"]
    return {
        "hlr_out_barred": barred,
        "hlr_ts11": ts11,
        "hlr_ocsi_missing": ocsi_missing,
        "hlr_intl_mismatch": intl_mismatch,
        "hlr_call_mismatch": barred or not ts11 or ocsi_missing or intl_mismatch,
        "hlr_ss_baoc": bool(hlr.get("ss_baoc_active")),
    }


@check("billing.voice", "billing", voice_out_recent=T.BOOLEAN, voice_out_count=T.FLOAT)
async def billing_voice(view: CustomerView) -> dict[str, Any]:
    """The itemised call records: outgoing calls that went through, and whether one did in the
    last day (when the calls started failing)."""
    records = (await mobile_read(view, "billing", "voice_records")).get("records") or []
    outgoing = [r for r in records if r.get("direction") == "主叫"]
    since = clock.now() - RECENT
    recent = [r for r in outgoing if (t := moment(r.get("start_time"))) and t >= since]
    return {"voice_out_recent": bool(recent), "voice_out_count": float(len(outgoing))}


@check("hlr.data", "hlr", hlr_data_ok=T.BOOLEAN, pcrf_misthrottled=T.BOOLEAN)
async def hlr_data(view: CustomerView) -> dict[str, Any]:
    """Packet data as HLR and PCRF hold it: subscribed and not locked (GPRSLOCK) in HLR, and a
    PCRF policy that throttles although the usage is below the plan's threshold."""
    hlr, policy = await asyncio.gather(
        mobile_read(view, "hlr", "subscriber"), mobile_read(view, "pcrf", "policy")
    )
    usage = float(policy.get("usage_percent") or 0)
    threshold = float(policy.get("usage_threshold_percent") or 100)
    return {
        "hlr_data_ok": bool(hlr.get("data_provisioned")) and not hlr.get("lock_data"),
        "pcrf_misthrottled": bool(policy.get("throttled")) and usage < threshold,
    }


@check("hlr.roaming", "hlr", hlr_roaming_allowed=T.BOOLEAN, hlr_registered_abroad=T.BOOLEAN)
async def hlr_roaming(view: CustomerView) -> dict[str, Any]:
    """International roaming in HLR: not barred (ODBROAM=NOBAR), and registered with a network
    abroad now (VLR outside the home country, not purged)."""
    hlr = await mobile_read(view, "hlr", "subscriber")
    return {
        "hlr_roaming_allowed": bool(hlr.get("intl_roaming_allowed")),
        "hlr_registered_abroad": bool(hlr.get("registered_abroad")) and not hlr.get("ms_purged"),
    }


# The pages.


def hlr_rows(product: dict[str, Any], hlr: dict[str, Any], prepaid: bool) -> list[Row]:
    if not hlr:
        return [row(_("HLR subscriber"), PRESENT, MISSING, "hlr_call_mismatch", "hlr_sms_mismatch")]
    code = str(product.get("state") or "")
    features = product.get("features") or {}
    stopped = bool(code) and code != "active"
    barred = bool(hlr.get("barring_out"))
    ld = hlr.get("odb_outgoing") == "NOBOC"
    return [
        row(
            _("Outgoing calls barred"),
            state(product),
            barred,
            "mob_state",
            "mob_outgoing",
            "hlr_out_barred",
            "hlr_call_mismatch",
            expects=stopped,
        ),
        row(
            _("Incoming calls barred"),
            state(product),
            bool(hlr.get("barring_in")),
            "mob_state",
            "hlr_sms_mismatch",
            expects=code in MOBILE_STOPS_BOTH_WAYS,
        ),
        row(_("Telephony (TS11)"), True, "TS11" in (hlr.get("teleservices") or []), "hlr_ts11"),
        row(_("Prepaid call trigger (O-CSI)"), prepaid, bool(hlr.get("o_csi")), "hlr_ocsi_missing"),
        row(
            _("International long distance"),
            bool(features.get("intl_long_distance")),
            ld,
            "mob_intl_ld",
            "hlr_intl_mismatch",
            differs=not barred and ld != bool(features.get("intl_long_distance")),
        ),
        row(
            _("Call barring set on the handset (BAOC)"),
            False,
            bool(hlr.get("ss_baoc_active")),
            "hlr_ss_baoc",
        ),
        row(
            _("Data subscribed"),
            bool(features.get("data")),
            bool(hlr.get("data_provisioned")),
            "mob_data",
            "hlr_data_ok",
        ),
        row(
            _("Data locked"),
            state(product),
            bool(hlr.get("lock_data")),
            "hlr_data_ok",
            expects=stopped,
        ),
        row(
            _("International roaming allowed"),
            bool(features.get("intl_roaming")),
            bool(hlr.get("intl_roaming_allowed")),
            "mob_intl_roaming",
            "hlr_roaming_allowed",
        ),
        row(
            _("Registered abroad"),
            None,
            bool(hlr.get("registered_abroad")) and not hlr.get("ms_purged"),
            "hlr_registered_abroad",
        ),
        row(
            _("SMS delivery (TS21)"),
            bool(features.get("sms")),
            bool(hlr.get("sms_mt_provisioned")),
            "mob_sms",
            "hlr_sms_mismatch",
        ),
        row(_("Memory full (MCEF)"), False, bool(hlr.get("mcef")), "hlr_mcef"),
        row(_("Not reachable (MNRF)"), False, bool(hlr.get("mnrf")), "hlr_mnrf"),
    ]


@shows("crm.mobile", "hlr.calls", "hlr.data", "hlr.roaming")
async def hlr_page(sight: Sight, page: Page) -> None:
    product = await sight.product("mobile")
    describe(page, product)
    if not product:
        return
    customer = await sight.customer()
    record = await sight.platform(product, "hlr.subscriber")
    if record is not None:
        focus(page, hlr_rows(product, record, customer.get("pay_mode") == "prepaid"))
    if page.check.id == "hlr.data" and (policy := sight.data("pcrf.policy")):
        usage, limit = (
            policy.get("usage_percent") or 0,
            policy.get("usage_threshold_percent") or 100,
        )
        page.rows.append(
            row(
                _("Speed limited (PCRF)"),
                f"{usage}% / {limit}%",
                bool(policy.get("throttled")),
                "pcrf_misthrottled",
                expects=usage >= limit,
                source=_("usage against the plan's threshold"),
            )
        )


@shows("billing.voice")
async def voice(sight: Sight, page: Page) -> None:
    product = await sight.product("mobile")
    describe(page, product)
    records = (sight.data("billing.voice_records") or {}).get("records") or []
    outgoing = [r for r in records if r.get("direction") == "主叫"]
    ordered = bool((product.get("features") or {}).get("outgoing"))
    page.rows += [
        row(
            _("Latest outgoing call"),
            ordered,
            when(outgoing[0].get("start_time")) if outgoing else None,
            "voice_out_recent",
            differs=ordered and not outgoing,
        ),
        row(_("Outgoing calls in the records"), None, len(outgoing), "voice_out_count"),
    ]
    table = Table(
        _("Call records"),
        [_("Time"), _("Direction"), _("Other party"), _("Duration"), _("Where")],
    )
    for r in records[:RECORDS]:
        cells = [when(r.get("start_time")), r.get("direction"), r.get("other_party")]
        table.rows.append(([*cells, r.get("duration"), r.get("location")], False))
    if records:
        page.tables.append(table)
