"""Which policy and which business calendar a ticket's clocks run to.

Policy lookup: of the policies whose process is the ticket's process or blank, whose priority is
the ticket's priority or blank, and whose province is the ticket's province or null, the most
specific wins: a province match outweighs a process match, which outweighs a priority match
(scores 4, 2, 1). With no match at all the built-in defaults apply (an unsaved `Policy()`:
60 min, 48 h, 15 days), so a clock always runs.

Speed: the policies and the calendars (a few dozen rows, read by every clock started or
stopped) are kept per process, with a stamp of their tables (row counts, highest id, latest
change) read in one query each time: any save or delete, in the admin or elsewhere, in any
process, changes the stamp and the next lookup reads them again. A unit's province is kept on
the unit object (one request's). The tests run without the process cache (a rolled-back test
could leave a stamp the next test matches), except the test of the cache itself
(`FIRSTCALL_SLA_CACHE`).
"""

import threading
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Q

from firstcall.orgs.models import PATH_STEP, OrgUnit
from firstcall.sla.calendar import BusinessCalendar
from firstcall.sla.models import Calendar, CalendarDay, Policy
from firstcall.tickets.models import Ticket

FALLBACK_NAME = "built-in defaults"


def ancestor_paths(path: str) -> list[str]:
    """The materialised paths of a unit and its ancestors, from the root down."""
    return [path[: i + PATH_STEP] for i in range(0, len(path), PATH_STEP)]


def province_of(unit: OrgUnit) -> OrgUnit | None:
    """The province a unit lies in (itself when it is one); none for headquarters."""
    if unit.level == OrgUnit.Level.PROVINCE:
        return unit
    known = unit.__dict__.get("_fc_province")
    if known is not None and known[0] == unit.path:
        return known[1]
    found = (
        OrgUnit.objects.filter(path__in=ancestor_paths(unit.path), level=OrgUnit.Level.PROVINCE)
        .order_by("-depth")
        .first()
    )
    unit.__dict__["_fc_province"] = (unit.path, found)
    return found


# --- the process cache -------------------------------------------------------------------------

_lock = threading.Lock()
_cache: dict[str, Any] = {"stamp": None, "entry": None}


def _enabled() -> bool:
    return bool(getattr(settings, "FIRSTCALL_SLA_CACHE", not getattr(settings, "TESTING", False)))


def _stamp() -> tuple[Any, ...]:
    """Row count, highest id and latest change of the policy and calendar tables, and the row
    count and highest id of the calendar days (a day edited in the admin saves its calendar)."""
    parts = []
    for model, changed in ((Policy, True), (Calendar, True), (CalendarDay, False)):
        table = connection.ops.quote_name(model._meta.db_table)
        latest = "max(updated)" if changed else "NULL"
        parts.append(f"SELECT count(*), max(id), {latest} FROM {table}")  # noqa: S608 - names
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return tuple(tuple(str(v) for v in row) for row in cursor.fetchall())


def _fresh_cache(ticket: Ticket | None = None) -> dict[str, Any] | None:
    """The process cache, emptied when the tables changed since it was filled; None when off.
    The stamp is read once per ticket object (one operation's: acceptance stops a clock and
    starts two, each looking up its policy and calendar)."""
    if not _enabled():
        return None
    seen = ticket.__dict__.get("_fc_sla_stamp") if ticket is not None else None
    stamp = seen if seen is not None else _stamp()
    if ticket is not None:
        ticket.__dict__["_fc_sla_stamp"] = stamp
    with _lock:
        # One entry per stamp: what is read for a stamp (always after reading it) goes into that
        # stamp's entry only, never into the entry of a newer one another thread made meanwhile.
        if _cache["stamp"] != stamp:
            _cache.update(stamp=stamp, entry={"policies": None, "calendars": {}})
        entry: dict[str, Any] = _cache["entry"]
        return entry


def _score(policy: Policy) -> int:
    return 4 * (policy.province_id is not None) + 2 * bool(policy.process) + bool(policy.priority)


def policy_for(
    *, process: str, priority: str, province: OrgUnit | None, ticket: Ticket | None = None
) -> Policy:
    cache = _fresh_cache(ticket)
    if cache is not None:
        if cache["policies"] is None:
            cache["policies"] = list(Policy.objects.all())
        province_id = province.pk if province is not None else None
        matches = [
            p
            for p in cache["policies"]
            if p.process in (process, "")
            and p.priority in (priority, "")
            and p.province_id in (None, province_id)
        ]
    else:
        where = Q(province__isnull=True)
        if province is not None:
            where |= Q(province=province)
        matches = list(
            Policy.objects.filter(
                where, Q(process=process) | Q(process=""), Q(priority=priority) | Q(priority="")
            )
        )
    best = max(matches, key=lambda p: (_score(p), -p.pk), default=None)
    return best if best is not None else Policy(name=FALLBACK_NAME)


def policy_for_ticket(ticket: Ticket, process: str) -> Policy:
    return policy_for(
        process=process,
        priority=ticket.priority or "",
        province=province_of(ticket.unit),
        ticket=ticket,
    )


def calendar_for(province: OrgUnit | None, ticket: Ticket | None = None) -> BusinessCalendar:
    """The province's business calendar: its own hours (or the default's) and the default's days
    overlaid with its own. No calendar at all: 08:30–17:30, Monday to Friday, no holidays."""
    cache = _fresh_cache(ticket)
    if cache is None:
        return _read_calendar(province)
    key = province.pk if province is not None else None
    found = cache["calendars"].get(key)
    if found is None:
        found = cache["calendars"][key] = _read_calendar(province)
    return found


def _read_calendar(province: OrgUnit | None) -> BusinessCalendar:
    default = Calendar.objects.filter(province__isnull=True).order_by("id").first()
    own = Calendar.objects.filter(province=province).first() if province else None
    base = own or default
    if base is None:
        return BusinessCalendar()
    days: dict = {}
    for cal in (default, own):
        if cal is None:
            continue
        for day, kind in CalendarDay.objects.filter(calendar=cal).values_list("date", "kind"):
            days[day] = kind
    return BusinessCalendar(
        zone=ZoneInfo(base.zone),
        start=base.work_start,
        end=base.work_end,
        holidays=frozenset(d for d, k in days.items() if k == CalendarDay.Kind.HOLIDAY),
        workdays=frozenset(d for d, k in days.items() if k == CalendarDay.Kind.WORKDAY),
    )


def calendar_for_ticket(ticket: Ticket) -> BusinessCalendar:
    return calendar_for(province_of(ticket.unit), ticket)
