"""The rows of the broadband steps' pages: the broadband product CRM sold against AAA (account,
state, rate, binding, authentication, sessions), resources, the access network (NMS), the OCS
books of a prepaid line, billing's reminders, and the alarms of the elements serving a number."""

from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from firstcall.core import clock
from firstcall.customers.comparison import AAA_STATE, MISSING, PRESENT
from firstcall.navigation.facts_broadband import BY_THE_NAS, PHYSICAL
from firstcall.navigation.pages import (
    RECORDS,
    Page,
    Row,
    Sight,
    Table,
    allocated,
    builds,
    describe,
    row,
    state,
    vlans,
    when,
)


def _time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def aaa_rows(product: dict[str, Any], aaa: dict[str, Any] | None, allocation: Any) -> list[Row]:
    have = None if aaa is None else PRESENT if aaa else MISSING
    rows = [row(_("AAA account"), PRESENT if product else None, have, "aaa_exists")]
    if not aaa:
        return rows
    expected = AAA_STATE.get(str(product.get("state") or ""))
    rows += [
        row(
            _("State"),
            state(product),
            state(aaa),
            "bb_state",
            "aaa_state",
            expects=expected,
            differs=expected is not None and aaa.get("state") != expected,
        ),
        row(_("Account locked"), False, bool(aaa.get("locked")), "aaa_locked"),
        row(
            _("Access type"),
            product.get("access_type"),
            aaa.get("access_type_limit"),
            "bb_access_type",
        ),
        row(
            _("Download speed (Mbit/s)"),
            product.get("down_mbps"),
            aaa.get("down_mbps"),
            "rate_profile_stale",
        ),
        row(_("Upload speed (Mbit/s)"), product.get("up_mbps"), aaa.get("up_mbps")),
    ]
    if aaa.get("bound"):
        bound = vlans(aaa.get("bound_port"))
        rows.append(
            row(
                _("VLANs AAA has bound"),
                allocated(allocation),
                bound,
                "res_matches_actual",
                "auth_reason",
                source=_("Resources"),
            )
        )
    return rows


async def _broadband(sight: Sight, page: Page) -> tuple[dict[str, Any], Any, Any]:
    product = await sight.product("broadband")
    describe(page, product)
    if not product:
        return product, None, None
    aaa = await sight.platform(product, "aaa.user")
    allocation = await sight.platform(product, "resources.allocation")
    return product, aaa, allocation


@builds("crm.broadband", "aaa.user", "aaa")
async def broadband_aaa(sight: Sight, page: Page) -> None:
    product, aaa, allocation = await _broadband(sight, page)
    if product:
        page.rows += aaa_rows(product, aaa, allocation)


@builds("aaa.auth_log", "aaa.dial_attempts")
async def authentication(sight: Sight, page: Page) -> None:
    product, aaa, allocation = await _broadband(sight, page)
    if not product:
        return
    page.rows += aaa_rows(product, aaa, allocation)
    _auth_log(sight, page, allocation)


def _auth_log(sight: Sight, page: Page, allocation: Any) -> None:
    records = (sight.data("aaa.auth_log") or {}).get("records") or []
    last = records[0] if records else {}
    facts = ("auth_any", "auth_last_accepted", "auth_reason", "auth_any_accept")
    dialling = ("dial_attempts", "dial_accepted", "redial_rejects", "redial_requests")
    said = " · ".join(str(x) for x in (last.get("packet_type"), last.get("reason")) if x)
    page.rows.append(
        row(
            _("Last authentication"),
            "Access-Accept",
            said or _("no request"),
            *facts,
            *dialling,
            differs=not last.get("accepted"),
        )
    )
    if last:
        page.rows.append(
            row(
                _("VLANs the customer dials from"),
                allocated(allocation),
                vlans(last.get("port")),
                "res_matches_actual",
                source=_("Resources"),
            )
        )
    table = Table(
        _("Authentication requests"),
        [_("Time"), _("Result"), _("Reason"), _("VLANs"), _("MAC")],
    )
    for r in records[:RECORDS]:
        cells = [when(r.get("time")), r.get("packet_type"), r.get("reason"), vlans(r.get("port"))]
        table.rows.append(([*cells, r.get("mac")], not r.get("accepted")))
    page.tables.append(table)


def _sessions(page: Page, aaa: Any, allocation: Any, sessions: Any) -> None:
    online = (sessions or {}).get("sessions") or []
    allowed = (aaa or {}).get("max_sessions")
    page.rows.append(
        row(
            _("Online sessions (allowed, now)"),
            allowed,
            len(online),
            "session_count",
            source=_("AAA"),
            differs=bool(allowed) and len(online) > int(allowed or 0),
        )
    )
    bras = ((allocation or {}).get("bras") or {}).get("ne_name")
    line = " · ".join(str(x) for x in (bras, allocated(allocation)) if x) or None
    now = clock.now()
    table = Table(
        _("Online sessions"),
        [_("Started"), _("Last update"), _("BRAS"), _("VLANs"), _("MAC"), _("Mbit/s")],
    )
    for s in online:
        updated = _time(s.get("last_update_at"))
        interval = timedelta(seconds=int(s.get("interim_interval_s") or 900))
        stale = updated is not None and now - updated > 3 * interval
        where = vlans(s.get("port"))
        foreign = (
            bool(allocated(allocation)) and where is not None and where != allocated(allocation)
        )
        page.rows.append(
            row(
                _("Session comes through"),
                line,
                " · ".join(str(x) for x in (s.get("nas_name"), where) if x),
                "session_foreign",
                source=_("Resources"),
                differs=foreign,
            )
        )
        page.rows.append(
            row(
                _("Accounting updated"),
                _("every %(s)s s") % {"s": interval.seconds},
                when(s.get("last_update_at")),
                "session_stale",
                "redial_stale_session",
                differs=stale,
            )
        )
        cells = [when(s.get("started_at")), when(s.get("last_update_at")), s.get("nas_name")]
        table.rows.append(([*cells, where, s.get("mac"), s.get("down_mbps")], stale or foreign))
    if online:
        page.tables.append(table)


@builds("aaa.sessions", "aaa.redial", "aaa.rate")
async def sessions(sight: Sight, page: Page) -> None:
    product, aaa, allocation = await _broadband(sight, page)
    if not product:
        return
    page.rows += aaa_rows(product, aaa, allocation)
    online = await sight.platform(product, "aaa.sessions")
    if page.check.id == "aaa.rate":
        rates = [s.get("down_mbps") for s in (online or {}).get("sessions") or []]
        page.rows.append(
            row(
                _("Online session rate (Mbit/s)"),
                product.get("down_mbps"),
                min(rates) if rates else None,
                "rate_session_low",
                differs=bool(rates) and min(rates) < (product.get("down_mbps") or 0),
            )
        )
    _sessions(page, aaa, allocation, online)
    if page.check.id == "aaa.redial":
        _auth_log(sight, page, allocation)


@builds("crm.broadband_ont")
async def ont(sight: Sight, page: Page) -> None:
    product, aaa, allocation = await _broadband(sight, page)
    if not product:
        return
    page.rows += aaa_rows(product, aaa, allocation)
    terminal = product.get("ont") or {}
    online = (sight.data("aaa.sessions") or {}).get("sessions") or []
    macs = ", ".join(str(s.get("mac")) for s in online if s.get("mac")) or None
    page.rows += [
        row(_("ONT mode"), terminal.get("mode"), None, "ont_mode"),
        row(_("ONT dialling now (MAC)"), terminal.get("mac"), macs, "ont_dialling", differs=False),
    ]


@builds("aaa.drops")
async def drops(sight: Sight, page: Page) -> None:
    describe(page, await sight.product("broadband"))
    history = (sight.data("aaa.session_history") or {}).get("sessions") or []
    causes = [str(s.get("terminate_cause") or "") for s in history]
    half = len(history) / 2

    def count(label: Any, fact: str, names: set[str]) -> Row:
        n = sum(1 for c in causes if c in names)
        return row(label, None, n, fact, differs=n > half)

    page.rows += [
        row(_("Sessions ended"), None, len(history), "drop_count"),
        count(_("Ended by the line (Lost-Carrier, Port-Error)"), "drops_physical", PHYSICAL),
        count(_("Timed out"), "drops_timeout", {"Idle-Timeout", "Session-Timeout"}),
        count(_("Ended by the user"), "drops_user", {"User-Request"}),
        count(_("Cut by the BRAS"), "drops_nas_cluster", BY_THE_NAS),
    ]
    table = Table(_("Ended sessions"), [_("Started"), _("Ended"), _("Cause"), _("VLANs")])
    for s in history[:RECORDS]:
        cause = s.get("terminate_cause")
        cells = [when(s.get("started_at")), when(s.get("stopped_at")), cause, vlans(s.get("port"))]
        table.rows.append((cells, cause in PHYSICAL or cause in BY_THE_NAS))
    page.tables.append(table)


@builds("resources.binding", "resources")
async def binding(sight: Sight, page: Page) -> None:
    product, aaa, allocation = await _broadband(sight, page)
    if not product:
        return
    allocation = allocation or {}
    device = allocation.get("access_device") or {}
    records = (sight.data("aaa.auth_log") or {}).get("records") or []
    dials = vlans(records[0].get("port")) if records else None
    page.rows += [
        row(_("Access type"), product.get("access_type"), allocation.get("access_type")),
        row(
            _("Install address"),
            product.get("install_address"),
            allocation.get("install_address"),
        ),
        row(
            _("Access device"),
            None,
            " ".join(str(device.get(k) or "") for k in ("ne_name", "port")),
        ),
        row(_("VLANs allocated"), None, allocated(allocation), source=_("Resources")),
        row(
            _("VLANs the customer dials from"),
            allocated(allocation),
            dials,
            "res_matches_actual",
            source=_("Resources"),
        ),
    ]
    if aaa and aaa.get("bound"):
        bound = vlans(aaa.get("bound_port"))
        page.rows.append(row(_("VLANs AAA has bound"), allocated(allocation), bound))


@builds("ocs.bb_book")
async def broadband_books(sight: Sight, page: Page) -> None:
    product = await sight.product("broadband")
    describe(page, product)
    ocs = sight.data("ocs.subscriber")
    books = (ocs or {}).get("books") or []
    today = clock.now().date().isoformat()
    usable = [
        b
        for b in books
        if (b.get("balance") or 0) > 0 and (b.get("expire_date") or "9999") >= today
    ]
    have = None if ocs is None else PRESENT if ocs else _("not a prepaid account")
    page.rows.append(row(_("Billing type"), product.get("billing_type"), have, differs=False))
    if ocs:
        balance = round(sum(float(b.get("balance") or 0) for b in usable), 2)
        page.rows.append(
            row(_("Usable balance (yuan)"), None, balance, "bb_book_ok", differs=not usable)
        )
    table = Table(_("Account books"), [_("Book"), _("Balance (yuan)"), _("Expires")])
    for b in books:
        table.rows.append(
            ([b.get("type"), b.get("balance"), b.get("expire_date")], b not in usable)
        )
    if books:
        page.tables.append(table)


@builds("billing.reminder")
async def reminder(sight: Sight, page: Page) -> None:
    product = await sight.product("broadband")
    describe(page, product)
    account = sight.data("billing.account") or {}
    page.rows += [
        row(_("State"), state(product), state(account), differs=False),
        row(
            _("Expiry date"),
            product.get("expire_date"),
            account.get("reminder") or _("no reminder"),
            "bb_reminder",
            differs=bool(account.get("reminder")),
        ),
        row(
            _("Arrears"),
            0,
            account.get("arrears"),
            "bb_reminder",
            differs=bool(account.get("in_arrears")),
        ),
    ]
