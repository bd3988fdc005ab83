"""Checks of a mobile number: CRM status and features, arrears, what HLR holds for calls, data and
roaming, the call records, the serving cell and the voice route, the data quota and policy
(F-MOB-NOCALL, F-MOB-DATA, F-MOB-IROAM).

Like every check they read through the unified view, so the answers come from the call cache.
HLR is compared with CRM (what the customer has ordered), never with a fixed expectation.
"""

import asyncio
from typing import Any

from firstcall.core import clock
from firstcall.customers.unified import CustomerView
from firstcall.navigation.facts import (
    RECENT,
    T,
    _missing,
    _ok,
    _time,
    check,
    for_product,
    product_details,
    product_number,
    record_of,
)

ok = _ok
missing = _missing
parse_time = _time


async def mobile_number(view: CustomerView) -> str:
    return await product_number(view, "mobile")


async def mobile_product(view: CustomerView) -> dict[str, Any]:
    return await product_details(view, "mobile")


async def mobile_read(
    view: CustomerView, system: str, operation: str, *args: str
) -> dict[str, Any]:
    """A platform's record of the call's mobile number; empty when there is no mobile number or
    the platform has no such record, CheckFailed when the platform cannot be read. Started with
    the typed number alongside CRM when it is a mobile number (`for_product`)."""
    return await for_product(
        view, "mobile", lambda number: record_of(view, number, system, operation, *args)
    )


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


@check("ocs.arrears", "ocs", mob_in_arrears=T.BOOLEAN, mob_available=T.FLOAT, mob_prepaid=T.BOOLEAN)
async def ocs_arrears(view: CustomerView) -> dict[str, Any]:
    """Whether the number really owes money: the account is in arrears in billing (postpaid) or
    the real-time balance with credit is below zero in OCS (prepaid). Paid but still stopped is
    the case where neither holds."""
    account, subscriber = await asyncio.gather(
        mobile_read(view, "billing", "account"), mobile_read(view, "ocs", "subscriber")
    )
    available = float(subscriber.get("available") or 0)
    in_arrears = bool(account.get("in_arrears")) or float(account.get("arrears") or 0) > 0
    return {
        "mob_in_arrears": in_arrears or available < 0,
        "mob_available": available,
        "mob_prepaid": subscriber.get("pay_type") == "prepaid",
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
    recent = [r for r in outgoing if (t := parse_time(r.get("start_time"))) and t >= since]
    return {"voice_out_recent": bool(recent), "voice_out_count": float(len(outgoing))}


@check("alarms.cell", "alarms", cell_alarm_count=T.FLOAT, coverage_weak=T.BOOLEAN)
async def cell_alarms(view: CustomerView) -> dict[str, Any]:
    """The cell serving the number (HLR's location): its active alarms, and whether the coverage
    map rates it weak there."""

    async def serving_cell(number: str) -> dict[str, Any]:
        hlr = await record_of(view, number, "hlr", "subscriber")
        cell = str(hlr.get("serving_cell") or "")
        if not cell:
            return {"cell_alarm_count": 0.0, "coverage_weak": False}
        alarms, coverage = await asyncio.gather(
            view.reads.get("alarms", "active", cell), view.reads.get("gis", "coverage", cell)
        )
        active = ok(alarms)
        weak = False if missing(coverage) else bool(ok(coverage).get("weak"))
        return {
            "cell_alarm_count": float(active.get("total") or len(active.get("alarms") or [])),
            "coverage_weak": weak,
        }

    return await for_product(view, "mobile", serving_cell)


@check("alarms.voice_route", "alarms", route_alarm_count=T.FLOAT)
async def voice_route_alarms(view: CustomerView) -> dict[str, Any]:
    """Active alarms of the switch the number is registered on (its MSC or gateway): a trunk down
    there fails calls in one direction for every user on it."""

    async def switch_alarms(number: str) -> dict[str, Any]:
        msc = str((await record_of(view, number, "hlr", "subscriber")).get("msc_number") or "")
        if not msc:
            return {"route_alarm_count": 0.0}
        active = ok(await view.reads.get("alarms", "active", msc))
        return {"route_alarm_count": float(active.get("total") or len(active.get("alarms") or []))}

    return await for_product(view, "mobile", switch_alarms)


@check(
    "ocs.data", "ocs", data_blocked=T.BOOLEAN, data_throttled=T.BOOLEAN, data_remaining_mb=T.FLOAT
)
async def ocs_data(view: CustomerView) -> dict[str, Any]:
    """The data quota in OCS: cut off (quota used up under the customer's own cap, or blocked),
    slowed down after the plan's threshold, and what is left."""
    data = (await mobile_read(view, "ocs", "subscriber")).get("data") or {}
    remaining = float(data.get("remaining_mb") or 0)
    capped = bool(data.get("cap_set_by_user")) and remaining <= 0
    return {
        "data_blocked": bool(data.get("blocked")) or capped,
        "data_throttled": bool(data.get("throttled")),
        "data_remaining_mb": remaining,
    }


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


@check("ocs.roaming", "ocs", roam_capped=T.BOOLEAN, roam_balance_ok=T.BOOLEAN)
async def ocs_roaming(view: CustomerView) -> dict[str, Any]:
    """Roaming data in OCS: the roaming pack used up or capped, and a balance (with credit) that
    still covers roaming charges."""
    subscriber = await mobile_read(view, "ocs", "subscriber")
    pack = subscriber.get("roaming_pack") or {}
    used, quota = float(pack.get("used_mb") or 0), float(pack.get("quota_mb") or 0)
    return {
        "roam_capped": bool(pack.get("capped")) or (quota > 0 and used >= quota),
        "roam_balance_ok": float(subscriber.get("available") or 0) >= 0,
    }
