"""Business-time arithmetic, pure (no database): add business time to a moment, and measure the
business time between two moments.

A business calendar is the working hours of a working day in a time zone (Asia/Shanghai unless
the province's calendar says otherwise), the weekend (Saturday and Sunday), the public holidays
(dates off, even on a weekday) and the make-up working days (调休上班: weekend dates that are
worked). Moments in and out are timezone-aware; the result is in UTC. A business day's date is
its date in the calendar's zone, whatever the zone of the moment given.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ZERO = timedelta(0)
# No calendar has this many consecutive days off: beyond it the calendar is wrong (no working
# day at all), and arithmetic stops rather than looping for ever.
MAX_DAYS_OFF = 400


@dataclass(frozen=True)
class BusinessCalendar:
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    start: time = time(8, 30)
    end: time = time(17, 30)
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    weekend: frozenset[int] = frozenset({5, 6})  # date.weekday(): Saturday, Sunday

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError("working hours must end after they start")

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() not in self.weekend

    def window(self, day: date) -> tuple[datetime, datetime]:
        """The working hours of `day`, as aware moments in the calendar's zone."""
        return (
            datetime.combine(day, self.start, tzinfo=self.zone),
            datetime.combine(day, self.end, tzinfo=self.zone),
        )

    @property
    def day_length(self) -> timedelta:
        opens, closes = self.window(date(2000, 1, 3))
        return closes - opens

    def add(self, moment: datetime, amount: timedelta) -> datetime:
        """The moment when `amount` of business time after `moment` has run out. Zero gives
        `moment` itself; a moment outside working hours counts from the next opening."""
        _aware(moment)
        if amount < ZERO:
            raise ValueError("add() needs a duration of zero or more")
        remaining = amount
        current = moment.astimezone(self.zone)
        if remaining == ZERO:
            return current.astimezone(UTC)
        day = current.date()
        days_off = 0
        while True:
            if self.is_working_day(day):
                days_off = 0
                opens, closes = self.window(day)
                current = max(current, opens)
                if current < closes:
                    available = closes - current
                    if remaining <= available:
                        return (current + remaining).astimezone(UTC)
                    remaining -= available
            else:
                days_off += 1
                if days_off > MAX_DAYS_OFF:
                    raise ValueError("the calendar has no working day")
            day += timedelta(days=1)
            current = datetime.combine(day, time(0), tzinfo=self.zone)

    def between(self, start: datetime, end: datetime) -> timedelta:
        """The business time from `start` to `end` (negative when `end` comes first)."""
        _aware(start)
        _aware(end)
        if end < start:
            return -self.between(end, start)
        a, b = start.astimezone(self.zone), end.astimezone(self.zone)
        total = ZERO
        day = a.date()
        while day <= b.date():
            if self.is_working_day(day):
                opens, closes = self.window(day)
                lo, hi = max(a, opens), min(b, closes)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total


def _aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("business-time arithmetic needs timezone-aware moments")
