"""Checks of a broadband account on the AAA and billing side: a redial after an unclean
disconnect (F-BB-ERRCODE), the rate profile against the contracted rate (F-BB-SLOW), why the
sessions of the last week ended (F-BB-DROP), the expiry reminder and the DNS serving the line
(F-BB-WEB).

Like every check they read through the unified view, so the answers come from the call cache.
"""

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any

from firstcall.core import clock
from firstcall.customers.unified import CustomerView
from firstcall.navigation.facts import (
    T,
    aaa_sessions,
    broadband_account,
    check,
    for_product,
    record_of,
)
from firstcall.navigation.facts_access import DIALLING, ok, parse_time

WEEK = timedelta(days=7)
PHYSICAL = {"Lost-Carrier", "Port-Error"}
TIMEOUTS = {"Idle-Timeout", "Session-Timeout"}
BY_THE_NAS = {"Admin-Reset", "NAS-Request"}


async def account_read(view: CustomerView, system: str, operation: str) -> dict[str, Any]:
    """A system's record of the broadband account; empty when it has none."""
    return await for_product(
        view, "broadband", lambda account: record_of(view, account, system, operation)
    )


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
    sessions, log = await asyncio.gather(aaa_sessions(view), account_read(view, "aaa", "auth_log"))
    since = clock.now() - DIALLING
    recent = [
        r
        for r in log.get("records") or []
        if (t := parse_time(r.get("time"))) is not None and t >= since
    ]
    return {
        "redial_stale_session": bool(sessions["session_stale"]),
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
        account_read(view, "aaa", "user"), account_read(view, "aaa", "sessions"), view.products()
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
    history = await account_read(view, "aaa", "session_history")
    since = clock.now() - WEEK
    closed = [
        s
        for s in history.get("sessions") or []
        if (t := parse_time(s.get("stopped_at"))) is None or t >= since
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


@check("billing.reminder", "billing", bb_reminder=T.BOOLEAN)
async def billing_reminder(view: CustomerView) -> dict[str, Any]:
    """Whether the account is in arrears or in a reminder period (expiry or payment reminder),
    during which web pages are redirected to the reminder page."""
    account = await account_read(view, "billing", "account")
    return {"bb_reminder": bool(account.get("reminder")) or bool(account.get("in_arrears"))}


@check("alarms.dns", "alarms", dns_alarm_count=T.FLOAT)
async def dns_alarms(view: CustomerView) -> dict[str, Any]:
    """Active alarms of the DNS node serving the line (as resources allocated it)."""

    async def node_alarms(account: str) -> dict[str, Any]:
        allocation = await record_of(view, account, "resources", "allocation")
        node = allocation.get("dns_node") or {}
        if not node.get("ne_id"):
            return {"dns_alarm_count": 0.0}
        active = ok(await view.reads.get("alarms", "active", str(node["ne_id"])))
        return {"dns_alarm_count": float(active.get("total") or len(active.get("alarms") or []))}

    return await for_product(view, "broadband", node_alarms)
