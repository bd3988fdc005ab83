"""The call cache: back-end answers kept per service number for the length of a call.

Kept in the database so that every process serving the agent's panels sees the same answers
(nothing another process needs lives in process memory). One query loads a number's answers,
one statement stores the new ones. Nothing here commits on its own: the caller holds the
transaction (`gather.Reads.save` for the panels, the repair's second transaction).
"""

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
    queryset = CachedRead.objects.filter(number=number)
    if systems is not None:
        queryset = queryset.filter(system__in=systems)
    queryset.delete()


def purge_expired() -> int:
    deleted, _ = CachedRead.objects.filter(expires_at__lte=clock.now()).delete()
    return deleted
