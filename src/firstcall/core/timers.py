"""Durable timers: something to do at a time, armed in the transaction of the change that needs it.

`arm(ctx, kind, due_at, key=…, payload=…)` sets the timer `(kind, key)` to fire at `due_at` (arming
it again moves it); `cancel(kind, key)` removes it. Both run in the caller's transaction, so a
timer exists exactly when the change that armed it committed. A worker claims due timers (one
claim wins: `core.claims`), and fires each once: the `fired` mark and the handler's writes commit
together. A handler that raises is retried with backoff, and the timer is `failed` after
`MAX_ATTEMPTS`. A handler may arm its own timer again (a scheduled job does).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils.functional import Promise

from firstcall.core import claims, clock
from firstcall.core.audit import ChangeContext
from firstcall.core.models import Timer
from firstcall.core.outbox import ERROR_LIMIT, backoff

logger = logging.getLogger(__name__)

Handler = Callable[[ChangeContext, dict[str, Any]], None]
State = Timer.State
MAX_ATTEMPTS = 10

_handlers: dict[str, Handler] = {}
_labels: dict[str, str | Promise] = {}


def register(kind: str, handler: Handler, *, label: str | Promise = "") -> None:
    """Fire timers of `kind` with `handler(ctx, payload)`; call from `AppConfig.ready()`.
    `label` names the kind on the background-work page."""
    _handlers[kind] = handler
    if label:
        _labels[kind] = label


def label_of(kind: str) -> str:
    return str(_labels.get(kind, kind))


def arm(
    ctx: ChangeContext,
    kind: str,
    due_at: datetime,
    *,
    key: str,
    payload: dict[str, Any] | None = None,
) -> Timer:
    """Arm the timer `(kind, key)` at `due_at`, or move it there if it exists (fired or not;
    `fired_at` keeps the last time it fired)."""
    fields: dict[str, Any] = {
        "due_at": due_at,
        "payload": payload or {},
        "state": State.PENDING,
        "attempts": 0,
        "claimed_by": "",
        "claimed_until": None,
        "last_error": "",
        "armed_at": clock.now(),
    }
    if Timer.objects.filter(kind=kind, key=key).update(**fields):
        return Timer.objects.get(kind=kind, key=key)
    try:
        with transaction.atomic():  # a savepoint: a concurrent arm of the same timer may win
            return Timer.objects.create(kind=kind, key=key, **fields)
    except IntegrityError:
        Timer.objects.filter(kind=kind, key=key).update(**fields)
        return Timer.objects.get(kind=kind, key=key)


def ensure(
    ctx: ChangeContext,
    kind: str,
    due_at: datetime,
    *,
    key: str,
    payload: dict[str, Any] | None = None,
) -> tuple[Timer, bool]:
    """Arm the timer only if it does not exist yet (a schedule installed by every worker)."""
    existing = Timer.objects.filter(kind=kind, key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            timer = Timer.objects.create(
                kind=kind, key=key, due_at=due_at, payload=payload or {}, armed_at=clock.now()
            )
    except IntegrityError:
        return Timer.objects.get(kind=kind, key=key), False
    return timer, True


def cancel(kind: str, key: str) -> bool:
    """Remove the timer `(kind, key)`, if any, in the caller's transaction."""
    deleted, _ = Timer.objects.filter(kind=kind, key=key).delete()
    return bool(deleted)


# --- the worker's side -------------------------------------------------------------------------


def due(now: datetime) -> QuerySet[Timer]:
    return Timer.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now),
        state=State.PENDING,
        due_at__lte=now,
    ).order_by("due_at", "id")


def next_due_at(now: datetime, horizon: timedelta) -> datetime | None:
    """When the next pending timer comes due, if it does within `horizon`: an idle worker waits
    until then rather than a whole idle period (one read on the `due_at` index)."""
    return (
        Timer.objects.filter(state=State.PENDING, due_at__gt=now, due_at__lte=now + horizon)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )


def claim(worker_id: str, *, limit: int, lease: timedelta) -> list[int]:
    now = clock.now()
    mark = {"claimed_by": worker_id, "claimed_until": now + lease, "attempts": F("attempts") + 1}
    return claims.claim(due(now), limit=limit, mark=mark)


@dataclass(frozen=True)
class Firing:
    timer_id: int
    fired: bool
    error: str = ""


def claimed(timer_ids: list[int], worker_id: str) -> list[Timer]:
    """The claimed timers, in the order claimed, read at once."""
    rows = Timer.objects.filter(pk__in=timer_ids, claimed_by=worker_id).in_bulk()
    return [rows[pk] for pk in timer_ids if pk in rows]


def fire(timer: Timer, worker_id: str) -> Firing:
    """Fire one claimed timer: the `fired` mark first (conditional on this worker's claim: the
    row count says whether the timer is still this worker's), then the handler, in one
    transaction. A timer moved or cancelled since the claim is left alone."""
    ctx = ChangeContext.for_job(f"timer:{timer.kind}", f"timer-{timer.pk}")
    try:
        with transaction.atomic():
            won = Timer.objects.filter(
                pk=timer.pk, claimed_by=worker_id, state=State.PENDING, due_at=timer.due_at
            ).update(state=State.FIRED, fired_at=clock.now(), claimed_until=None, last_error="")
            if won != 1:
                return Firing(timer.pk, False, "claim lost")
            handler = _handlers.get(timer.kind)
            if handler is None:
                raise LookupError(f"no handler is registered for {timer.kind!r}")
            handler(ctx, {**timer.payload, "due_at": timer.due_at.isoformat()})
    except Exception as exc:  # any failure of a handler is recorded and retried
        error = f"{type(exc).__name__}: {exc}"[:ERROR_LIMIT]
        _failed(timer, worker_id, error)
        logger.warning("timer %s:%s failed: %s", timer.kind, timer.key, error)
        return Firing(timer.pk, False, error)
    return Firing(timer.pk, True)


def _failed(timer: Timer, worker_id: str, error: str) -> None:
    with transaction.atomic():
        attempts = Timer.objects.filter(pk=timer.pk).values_list("attempts", flat=True)
        tried = attempts.first() or 1
        Timer.objects.filter(pk=timer.pk, claimed_by=worker_id, state=State.PENDING).update(
            state=State.FAILED if tried >= MAX_ATTEMPTS else State.PENDING,
            claimed_until=clock.now() + backoff(tried),
            last_error=error,
        )


def release(timer_ids: list[int], worker_id: str) -> None:
    """Give back claimed timers not yet fired (the worker is stopping): due again at once."""
    with transaction.atomic():
        Timer.objects.filter(pk__in=timer_ids, claimed_by=worker_id, state=State.PENDING).update(
            claimed_until=None, attempts=F("attempts") - 1
        )
