"""Which policy and which business calendar a ticket's clocks run to.

Policy lookup: of the policies whose process is the ticket's process or blank, whose priority is
the ticket's priority or blank, and whose province is the ticket's province or null, the most
specific wins: a province match outweighs a process match, which outweighs a priority match
(scores 4, 2, 1). With no match at all the built-in defaults apply (an unsaved `Policy()`:
60 min, 48 h, 15 days), so a clock always runs.
"""

from zoneinfo import ZoneInfo

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
    return (
        OrgUnit.objects.filter(path__in=ancestor_paths(unit.path), level=OrgUnit.Level.PROVINCE)
        .order_by("-depth")
        .first()
    )


def _score(policy: Policy) -> int:
    return 4 * (policy.province_id is not None) + 2 * bool(policy.process) + bool(policy.priority)


def policy_for(*, process: str, priority: str, province: OrgUnit | None) -> Policy:
    where = Q(province__isnull=True)
    if province is not None:
        where |= Q(province=province)
    matches = Policy.objects.filter(
        where, Q(process=process) | Q(process=""), Q(priority=priority) | Q(priority="")
    )
    best = max(matches, key=lambda p: (_score(p), -p.pk), default=None)
    return best if best is not None else Policy(name=FALLBACK_NAME)


def policy_for_ticket(ticket: Ticket, process: str) -> Policy:
    return policy_for(
        process=process, priority=ticket.priority or "", province=province_of(ticket.unit)
    )


def calendar_for(province: OrgUnit | None) -> BusinessCalendar:
    """The province's business calendar: its own hours (or the default's) and the default's days
    overlaid with its own. No calendar at all: 08:30–17:30, Monday to Friday, no holidays."""
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
    return calendar_for(province_of(ticket.unit))
