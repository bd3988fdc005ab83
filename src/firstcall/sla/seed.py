"""The SLA reference data: default policies for the seeded processes, the default business
calendar with China's public holidays and make-up working days, and one province override.

Idempotent: what exists is left as it is (an administrator's edits survive a re-seed).

2026 follows the State Council General Office's notice on the 2026 holidays (November 2025). 2027 is
**provisional**: laid out from the lunar dates (春节 2027-02-06, 清明 04-05, 端午 06-09, 中秋 09-15)
the way recent years' notices are; check it against the notice for 2027 before relying on it.
"""

from datetime import date, timedelta

from firstcall.core.audit import ChangeContext
from firstcall.core.models import ObjectChange
from firstcall.orgs.models import OrgUnit
from firstcall.sla.models import Calendar, CalendarDay, Policy

HOLIDAY = CalendarDay.Kind.HOLIDAY
WORKDAY = CalendarDay.Kind.WORKDAY


def _span(first: date, days: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(days)]


# (name, holidays, make-up working days)
DAYS: list[tuple[str, list[date], list[date]]] = [
    ("元旦", _span(date(2026, 1, 1), 3), [date(2026, 1, 4)]),
    ("春节", _span(date(2026, 2, 15), 9), [date(2026, 2, 14), date(2026, 2, 28)]),
    ("清明节", _span(date(2026, 4, 4), 3), []),
    ("劳动节", _span(date(2026, 5, 1), 5), [date(2026, 5, 9)]),
    ("端午节", _span(date(2026, 6, 19), 3), []),
    ("中秋节", _span(date(2026, 9, 25), 3), []),
    ("国庆节", _span(date(2026, 10, 1), 7), [date(2026, 9, 20), date(2026, 10, 10)]),
    # 2027: provisional (see the module's docstring).
    ("元旦", _span(date(2027, 1, 1), 3), []),
    ("春节", _span(date(2027, 2, 5), 8), [date(2027, 2, 20)]),
    ("清明节", _span(date(2027, 4, 3), 3), []),
    ("劳动节", _span(date(2027, 5, 1), 5), [date(2027, 4, 25), date(2027, 5, 8)]),
    ("端午节", [date(2027, 6, 9)], []),
    ("中秋节", [date(2027, 9, 15)], []),
    ("国庆节", _span(date(2027, 10, 1), 7), [date(2027, 9, 26), date(2027, 10, 9)]),
]

# (process, priority, name, fields): sla.md part C. Complaints count business time (working
# hours); fault repair counts wall-clock time (a network is restored round the clock, A2).
POLICIES: list[tuple[str, str, str, dict]] = [
    ("", "", "默认时限", {}),
    (
        "BO-COMPLAINT",
        "",
        "客户/业务投诉",
        {"accept_minutes": 60, "handle_hours": 48, "t1_hours": 24},
    ),
    ("BO-MOBNET", "", "移网投诉", {"accept_minutes": 60, "handle_hours": 48, "t1_hours": 24}),
    (
        "BO-FAULT",
        "",
        "障碍单",
        {"accept_minutes": 60, "handle_hours": 48, "t1_hours": 24, "business_time": False},
    ),
]
# A province's own limits: Jiangsu accepts high-priority complaints within 30 minutes.
PROVINCE_OVERRIDES: list[tuple[str, str, str, str, dict]] = [
    ("JS", "BO-COMPLAINT", "high", "江苏 客户/业务投诉 高优先级", {"accept_minutes": 30}),
]


def seed_sla(ctx: ChangeContext) -> None:
    for process, priority, name, fields in POLICIES:
        _policy(ctx, process, priority, None, name, fields)
    for code, process, priority, name, fields in PROVINCE_OVERRIDES:
        province = OrgUnit.objects.filter(code=code, level=OrgUnit.Level.PROVINCE).first()
        if province is not None:  # the demo org tree has it; a bare installation may not
            _policy(ctx, process, priority, province, name, fields)
    calendar = Calendar.objects.filter(province__isnull=True).order_by("id").first()
    if calendar is None:
        calendar = Calendar.objects.create(name="全国工作日历")
        ctx.record(calendar, ObjectChange.Action.CREATE)
    known = set(CalendarDay.objects.filter(calendar=calendar).values_list("date", flat=True))
    for name, holidays, workdays in DAYS:
        for kind, days in ((HOLIDAY, holidays), (WORKDAY, workdays)):
            for day in days:
                if day in known:
                    continue
                row = CalendarDay.objects.create(calendar=calendar, date=day, kind=kind, name=name)
                ctx.record(row, ObjectChange.Action.CREATE)
                known.add(day)


def _policy(
    ctx: ChangeContext,
    process: str,
    priority: str,
    province: OrgUnit | None,
    name: str,
    fields: dict,
) -> None:
    if Policy.objects.filter(process=process, priority=priority, province=province).exists():
        return
    policy = Policy.objects.create(
        process=process, priority=priority, province=province, name=name, **fields
    )
    ctx.record(policy, ObjectChange.Action.CREATE)
