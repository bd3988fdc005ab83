"""The rows of the mobile steps' pages: the mobile product CRM sold (state, ordered features)
against HLR, OCS and PCRF; the SMS centre's messages and blocks; the SP charges billed against the
VAS platform's subscriptions; and the call records."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from firstcall.customers.comparison import MISSING, MOBILE_STOPS_BOTH_WAYS, OCS_STATE, PRESENT
from firstcall.navigation.facts_sms import INDUSTRY_PREFIX, latest_first
from firstcall.navigation.facts_vas import month_of
from firstcall.navigation.pages import (
    RECORDS,
    Page,
    Row,
    Sight,
    Table,
    builds,
    describe,
    row,
    state,
    when,
)


def focus(page: Page, rows: list[Row]) -> None:
    """The rows about this check's facts, and the rows that only give context."""
    page.rows += [r for r in rows if not r.facts or set(r.facts) & set(page.check.facts)]


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


@builds("hlr", "crm.mobile")
async def hlr(sight: Sight, page: Page) -> None:
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


@builds("ocs")
async def ocs(sight: Sight, page: Page) -> None:
    product = await sight.product("mobile")
    describe(page, product)
    record = sight.data("ocs.subscriber")
    if not product or record is None:
        return
    if not record:
        page.rows.append(row(_("OCS subscriber"), PRESENT, MISSING))
        return
    customer = await sight.customer()
    billing = sight.data("billing.account") or await sight.billing() or {}
    expected = OCS_STATE.get(str(product.get("state") or ""))
    data = record.get("data") or {}
    pack = record.get("roaming_pack") or {}
    available = float(record.get("available") or 0)
    focus(
        page,
        [
            row(
                _("State"),
                state(product),
                state(record),
                expects=expected,
                differs=expected is not None and record.get("state") != expected,
            ),
            row(_("Offer"), product.get("offer_id"), record.get("offer_id")),
            row(_("Payment mode"), customer.get("pay_mode"), record.get("pay_type"), "mob_prepaid"),
            row(
                _("Arrears (yuan)"),
                0,
                billing.get("arrears"),
                "mob_in_arrears",
                source=_("Billing"),
                differs=bool(billing.get("in_arrears")),
            ),
            row(
                _("Available balance (yuan)"),
                "≥ 0",
                available,
                "mob_available",
                "mob_in_arrears",
                "roam_balance_ok",
                differs=available < 0,
            ),
            row(
                _("Data left (MB)"),
                data.get("quota_mb"),
                data.get("remaining_mb"),
                "data_remaining_mb",
                differs=False,
            ),
            row(
                _("Data blocked"),
                False,
                bool(data.get("blocked"))
                or (
                    bool(data.get("cap_set_by_user")) and float(data.get("remaining_mb") or 0) <= 0
                ),
                "data_blocked",
            ),
            row(_("Throttled"), False, bool(data.get("throttled")), "data_throttled"),
            row(
                _("International roaming"),
                bool((product.get("features") or {}).get("intl_roaming")),
                pack.get("name"),
                "roam_capped",
                differs=False,
            ),
            row(
                _("Roaming pack used (MB)"),
                pack.get("quota_mb"),
                pack.get("used_mb"),
                "roam_capped",
                differs=bool(pack.get("capped"))
                or (bool(pack.get("quota_mb")) and (pack.get("used_mb") or 0) >= pack["quota_mb"]),
            ),
        ],
    )


@builds("smsc")
async def smsc(sight: Sight, page: Page) -> None:
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


@builds("vas", "billing.sp_charges")
async def sp_charges(sight: Sight, page: Page) -> None:
    """Each SP billed, against its subscriptions on the VAS platform."""
    product = await sight.product("mobile")
    describe(page, product)
    bills = (sight.data("billing.bills") or {}).get("bills") or []
    items = [
        (str(b.get("bill_cycle")), i) for b in bills for i in b.get("items") or [] if i.get("sp")
    ]
    subscriptions = (await sight.platform(product, "vas.subscriptions") or {}).get("subscriptions")
    by_sp: dict[str, list[dict[str, Any]]] = {}
    for s in subscriptions or []:
        by_sp.setdefault(str(s.get("sp_code") or ""), []).append(s)
    billed: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for cycle, item in items:
        billed.setdefault(str(item["sp"].get("sp_code") or ""), []).append((cycle, item))
    facts = ("vas_charged_without_order", "vas_charged_after_unsub", "vas_unconfirmed")
    total = round(sum(float(i.get("amount") or 0) for _c, i in items), 2)
    page.rows += [
        row(_("SP charges on the recent bills"), None, len(items), "sp_charge_count"),
        row(_("Charged for SPs (yuan)"), None, total, "sp_charge_total"),
    ]
    for code, charges in billed.items():
        sp = charges[0][1]["sp"]
        subs = by_sp.get(code, [])
        amount = round(sum(float(i.get("amount") or 0) for _c, i in charges), 2)
        cycles = ", ".join(c for c, _i in charges)
        had = " · ".join(
            f"{s.get('status')} {when(s.get('ordered_at'))}"
            + ("" if s.get("second_confirmed") else f" · {_('no second confirmation')}")
            for s in subs
        )
        after = bool(subs) and all(
            s.get("state") == "unsubscribed"
            and max(c for c, _i in charges) > month_of(s.get("unsubscribed_at"))
            for s in subs
        )
        page.rows.append(
            row(
                f"{sp.get('sp_name')} · {sp.get('service_name')}",
                f"{cycles}: ¥{amount:.2f}",
                had or _("no subscription"),
                *facts,
                "sp_charge_count",
                "sp_charge_total",
                differs=not subs or after or any(not s.get("second_confirmed") for s in subs),
            )
        )
    table = Table(
        _("Subscriptions on the VAS platform"),
        [_("SP"), _("Service"), _("Ordered"), _("Channel"), _("Second confirmation"), _("State")],
    )
    for s in subscriptions or []:
        cells = [
            s.get("sp_name"),
            s.get("service_name"),
            when(s.get("ordered_at")),
            s.get("order_channel"),
        ]
        table.rows.append(
            ([*cells, s.get("confirm_log"), s.get("status")], not s.get("second_confirmed"))
        )
    if subscriptions:
        page.tables.append(table)


@builds("billing.voice")
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
