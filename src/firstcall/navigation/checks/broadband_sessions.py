"""Broadband sessions: the account's online sessions on the BRAS and AAA (stale, foreign), a
redial after an unclean disconnect (F-BB-ERRCODE), the rate of the session and of the profile
against the contracted rate (F-BB-SLOW) and why the sessions of the last week ended (F-BB-DROP).

Each check reads through the unified view, so its answers come from the call cache.
"""

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from firstcall.core import clock
from firstcall.customers.unified import CustomerView
from firstcall.integrations.records import Allocation, Session, moment, sessions
from firstcall.navigation.checks.broadband import (
    DIALLING,
    aaa_rows,
    auth_log_rows,
    broadband_records,
)
from firstcall.navigation.checks.page import (
    RECORDS,
    Page,
    Row,
    Sight,
    Table,
    allocated,
    describe,
    row,
    vlans,
    when,
)
from firstcall.navigation.checks.reads import (
    broadband_account,
    for_product,
    found,
    ok,
    product_read,
    read_of,
)
from firstcall.navigation.checks.registry import T, check, shows

WEEK = timedelta(days=7)
PHYSICAL = {"Lost-Carrier", "Port-Error"}
TIMEOUTS = {"Idle-Timeout", "Session-Timeout"}
BY_THE_NAS = {"Admin-Reset", "NAS-Request"}


@check(
    "aaa.sessions",
    "aaa",
    session_count=T.FLOAT,
    session_stale=T.BOOLEAN,
    session_foreign=T.BOOLEAN,
)
async def aaa_sessions(view: CustomerView) -> dict[str, Any]:
    """Online sessions: stale when accounting stopped for more than three interim intervals,
    foreign when the session comes through another BRAS or VLAN than the customer's line."""
    online, allocation, user = await asyncio.gather(
        for_product(view, "broadband", read_of(view, "aaa", "sessions")),
        for_product(view, "broadband", read_of(view, "resources", "allocation")),
        for_product(view, "broadband", read_of(view, "aaa", "user")),
    )
    held = sessions(found(online))
    line = Allocation.of(ok(allocation))
    now = clock.now()
    if not user.missing:
        ok(user)  # read for the step's page, which shows the binding beside the sessions
    return {
        "session_count": float(len(held)),
        "session_stale": any(s.stale(now) for s in held),
        "session_foreign": any(s.foreign(line) for s in held),
    }


@check(
    "aaa.redial",
    "aaa",
    redial_stale_session=T.BOOLEAN,
    redial_rejects=T.FLOAT,
    redial_requests=T.FLOAT,
)
async def aaa_redial(view: CustomerView) -> dict[str, Any]:
    """A redial that fails during session set-up: a stale session still held on the BRAS and AAA
    (as `aaa.sessions` judges it), and the requests and rejections of the last hour."""
    held, log = await asyncio.gather(
        aaa_sessions(view), product_read(view, "broadband", "aaa", "auth_log")
    )
    since = clock.now() - DIALLING
    recent = [
        r
        for r in log.get("records") or []
        if (t := moment(r.get("time"))) is not None and t >= since
    ]
    return {
        "redial_stale_session": bool(held["session_stale"]),
        "redial_rejects": float(sum(1 for r in recent if not r.get("accepted"))),
        "redial_requests": float(len(recent)),
    }


@check(
    "aaa.rate",
    "aaa",
    rate_session_low=T.BOOLEAN,
    rate_profile_stale=T.BOOLEAN,
)
async def aaa_rate(view: CustomerView) -> dict[str, Any]:
    """The downstream rate of the online session and of AAA's rate profile against the rate CRM
    sold: a session set up before a speed-up keeps the old rate until it redials; a profile
    still at the old rate needs the change sent to AAA again."""
    # AAA is asked alongside CRM's product details, not after them.
    user, online, products = await asyncio.gather(
        product_read(view, "broadband", "aaa", "user"),
        product_read(view, "broadband", "aaa", "sessions"),
        view.products(),
    )
    account = await broadband_account(view)
    contract = 0.0
    for p in products:
        if p.get("number") == account:
            contract = float(p.get("down_mbps") or 0)
    rates = [float(s.get("down_mbps") or 0) for s in online.get("sessions") or []]
    profile = float(user.get("down_mbps") or 0)
    return {
        "rate_session_low": bool(contract and rates and min(rates) < contract),
        "rate_profile_stale": bool(contract and user and profile < contract),
    }


@check(
    "aaa.drops",
    "aaa",
    drop_count=T.FLOAT,
    drops_physical=T.BOOLEAN,
    drops_timeout=T.BOOLEAN,
    drops_user=T.BOOLEAN,
    drops_nas_cluster=T.BOOLEAN,
)
async def aaa_drops(view: CustomerView) -> dict[str, Any]:
    """How the sessions of the last week ended (RFC 2866 Acct-Terminate-Cause): mostly the
    physical layer (Lost-Carrier, Port-Error), mostly timeouts, mostly the user's own request;
    and sessions cut by the NAS (Admin-Reset, NAS-Request) at one and the same moment."""
    history = await product_read(view, "broadband", "aaa", "session_history")
    since = clock.now() - WEEK
    closed = [
        s
        for s in history.get("sessions") or []
        if (t := moment(s.get("stopped_at"))) is None or t >= since
    ]
    causes = Counter(str(s.get("terminate_cause") or "") for s in closed)
    half = len(closed) / 2
    cut = Counter(
        str(s.get("stopped_at") or "")[:16]
        for s in closed
        if s.get("terminate_cause") in BY_THE_NAS
    )
    return {
        "drop_count": float(len(closed)),
        "drops_physical": sum(causes[c] for c in PHYSICAL) > half,
        "drops_timeout": sum(causes[c] for c in TIMEOUTS) > half,
        "drops_user": causes["User-Request"] > half,
        "drops_nas_cluster": max(cut.values(), default=0) >= 2,
    }


# The pages.


def session_rows(page: Page, aaa: Any, allocation: Any, answer: Any) -> None:
    online = (answer or {}).get("sessions") or []
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
        session = Session.of(s)
        stale = session.stale(now)
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
                _("every %(s)s s") % {"s": session.interim_s},
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


@shows("aaa.sessions", "aaa.redial", "aaa.rate")
async def session_page(sight: Sight, page: Page) -> None:
    product, aaa, allocation = await broadband_records(sight, page)
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
    session_rows(page, aaa, allocation, online)
    if page.check.id == "aaa.redial":
        auth_log_rows(sight, page, allocation)


@shows("aaa.drops")
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
        count(_("Timed out"), "drops_timeout", TIMEOUTS),
        count(_("Ended by the user"), "drops_user", {"User-Request"}),
        count(_("Cut by the BRAS"), "drops_nas_cluster", BY_THE_NAS),
    ]
    table = Table(_("Ended sessions"), [_("Started"), _("Ended"), _("Cause"), _("VLANs")])
    for s in history[:RECORDS]:
        cause = s.get("terminate_cause")
        cells = [when(s.get("started_at")), when(s.get("stopped_at")), cause, vlans(s.get("port"))]
        table.rows.append((cells, cause in PHYSICAL or cause in BY_THE_NAS))
    page.tables.append(table)
