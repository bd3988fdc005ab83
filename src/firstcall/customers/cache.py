"""The call cache: back-end answers kept per service number for the length of a call.

Kept in the database so that every process serving the agent's panels sees the same answers
(nothing another process needs lives in process memory). One query loads a number's answers,
one statement stores the new ones. Nothing here commits on its own: the caller holds the
transaction (`gather.Reads.save` for the panels, the repair's second transaction).
"""

import time
from datetime import timedelta

from django.conf import settings

from firstcall.core import clock
from firstcall.core.bulk import insert_many
from firstcall.customers.models import CachedRead
from firstcall.integrations.envelope import Result

FIELDS = ("number", "key", "system", "found", "data", "latency_ms", "fetched_at", "expires_at")


def ttl() -> timedelta:
    return timedelta(seconds=getattr(settings, "FIRSTCALL_CALL_CACHE_SECONDS", 600))


def load(number: str, systems: frozenset[str] | None = None) -> dict[str, CachedRead]:
    """The number's kept answers, of every system or only of `systems` (what a panel reads)."""
    rows = CachedRead.objects.filter(number=number, expires_at__gt=clock.now())
    if systems is not None:
        rows = rows.filter(system__in=sorted(systems))
    return {row.key: row for row in rows}


def store(number: str, answers: list[tuple[str, Result]]) -> None:
    """Keep the answers, replacing older ones for the same read."""
    answers = list(dict(answers).items())  # the latest answer per read, once
    now = clock.now()
    expires = now + ttl()
    rows = [
        (
            number,
            key,
            result.system,
            result.ok,
            result.data if result.ok else None,
            round(result.latency_ms),
            now,
            expires,
        )
        for key, result in answers
    ]
    insert_many(CachedRead, FIELDS, rows, conflict=("number", "key"), update=FIELDS[2:])


def forget(number: str, systems: list[str] | None = None) -> None:
    """Drop a number's answers (all, or those of some systems) so the next read asks again."""
    forget_recent(number)
    queryset = CachedRead.objects.filter(number=number)
    if systems is not None:
        queryset = queryset.filter(system__in=systems)
    queryset.delete()


def purge_expired() -> int:
    deleted, _ = CachedRead.objects.filter(expires_at__lte=clock.now()).delete()
    return deleted


# Answers that have just arrived in this process: (number, read key) -> (monotonic time, result).
# Only a bridge until the reading request stores them in the call cache, which every process
# sees; nothing depends on it being here.
_recent: dict[tuple[str, str], tuple[float, Result]] = {}
RECENT_SECONDS = 10.0
RECENT_MAX = 20_000


def remember(number: str, key: str, result: Result) -> None:
    """Keep an answer that has just arrived, for the panels that ask for it a moment later."""
    now = time.monotonic()
    _recent.pop((number, key), None)
    _recent[(number, key)] = (now, result)
    # Oldest first (insertion order is time order): drop what is past its time or the cap.
    while _recent:
        oldest = next(iter(_recent))
        if now - _recent[oldest][0] > RECENT_SECONDS or len(_recent) > RECENT_MAX:
            del _recent[oldest]
        else:
            break


def just_read(number: str, key: str) -> Result | None:
    """An answer of this process's from the last few seconds; None when there is none."""
    found = _recent.get((number, key))
    if found is None or time.monotonic() - found[0] > RECENT_SECONDS:
        return None
    return found[1]


def forget_recent(number: str) -> None:
    """Drop the number's just-arrived answers (a platform was changed: read it again)."""
    for k in [k for k in list(_recent) if k[0] == number]:
        _recent.pop(k, None)


def forget_all_recent() -> None:
    _recent.clear()
