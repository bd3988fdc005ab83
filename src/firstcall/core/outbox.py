"""The transactional outbox: side effects recorded with the change, delivered after the commit.

A service calls `emit(ctx, kind, payload, key=...)` inside the caller's transaction: the message
commits with the change or not at all. A worker (`core.worker`) claims due messages, calls the
handler registered for their kind (`register(kind, handler)`, from an app's `AppConfig.ready()`),
and marks them delivered in the same transaction as the handler's own writes. A handler that
raises is retried with exponential backoff and jitter; after `max_attempts` the message is `dead`
and waits on the background-work page for someone to retry it (`retry_now`, audited).

Delivery is at least once: a worker killed after the handler's effect left the machine (an HTTP
call) but before the commit delivers again after its lease. Handlers that reach outside the
database must be idempotent; the message id and key travel with every delivery for that.
"""

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils.functional import Promise

from firstcall.core import claims, clock
from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.errors import Conflict
from firstcall.core.models import ObjectChange, OutboxMessage

logger = logging.getLogger(__name__)

Handler = Callable[[ChangeContext, dict[str, Any]], None]
State = OutboxMessage.State

BACKOFF_BASE = timedelta(seconds=10)
BACKOFF_CAP = timedelta(hours=1)
ERROR_LIMIT = 4000

_handlers: dict[str, Handler] = {}
_labels: dict[str, str | Promise] = {}
_subscribers: list[Handler] = []


def register(kind: str, handler: Handler, *, label: str | Promise = "") -> None:
    """Deliver messages of `kind` with `handler(ctx, payload)`; call from `AppConfig.ready()`.
    `label` names the kind on the background-work page."""
    _handlers[kind] = handler
    if label:
        _labels[kind] = label


def describe(name: str, label: str | Promise) -> None:
    """Name a message kind or an event type (`ticket.created`) for the background-work page."""
    _labels[name] = label


def label_of(name: str) -> str:
    return str(_labels.get(name, name))


def emit(
    ctx: ChangeContext,
    kind: str,
    payload: dict[str, Any],
    *,
    key: str = "",
    max_attempts: int | None = None,
) -> OutboxMessage:
    """Record a message in the caller's transaction. A non-empty `key` makes the emit idempotent:
    the same `(kind, key)` again returns the message already recorded."""
    if key:
        existing = OutboxMessage.objects.filter(kind=kind, key=key).first()
        if existing is not None:
            return existing
    fields: dict[str, Any] = {
        "kind": kind,
        "key": key,
        "payload": payload,
        "origin": (ctx.request_id or ctx.job_id)[:64],
        "created": clock.now(),
        "next_attempt_at": clock.now(),
    }
    if max_attempts is not None:
        fields["max_attempts"] = max_attempts
    if not key:
        return OutboxMessage.objects.create(**fields)
    try:
        with transaction.atomic():  # a savepoint: a concurrent emit of the same key may win
            return OutboxMessage.objects.create(**fields)
    except IntegrityError:
        return OutboxMessage.objects.get(kind=kind, key=key)


def event(ctx: ChangeContext, name: str, obj_key: str, data: dict[str, Any]) -> OutboxMessage:
    """A domain event (`ticket.created`, `ticket.status_changed` …) for subscribers, as an outbox
    message of kind `event`; `obj_key` makes it unique (the same event is never emitted twice)."""
    payload = {
        "type": name,
        "time": clock.now().isoformat(),
        "actor": ctx.actor_label,
        "data": data,
    }
    return emit(ctx, "event", payload, key=f"{name}:{obj_key}")


def subscribe_events(subscriber: Handler) -> None:
    """Receive every domain event (`subscriber(ctx, payload)`), e.g. webhooks or TMF621 hubs."""
    _subscribers.append(subscriber)


def deliver_event(ctx: ChangeContext, payload: dict[str, Any]) -> None:
    """The handler of `event` messages: hand the event to every subscriber. None exists yet
    (webhooks and TMF621 listeners come later), so delivering records that it was published."""
    for subscriber in _subscribers:
        subscriber(ctx, payload)
    logger.info("event %s published to %d subscribers", payload.get("type", ""), len(_subscribers))


# --- the worker's side -------------------------------------------------------------------------


def due(now: datetime) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now),
        state=State.PENDING,
        next_attempt_at__lte=now,
    ).order_by("next_attempt_at", "id")


def claim(worker_id: str, *, limit: int, lease: timedelta) -> list[int]:
    """Claim up to `limit` due messages for `worker_id` until the lease ends; one claim counts as
    an attempt, so a message that kills its worker every time still ends dead."""
    now = clock.now()
    mark = {"claimed_by": worker_id, "claimed_until": now + lease, "attempts": F("attempts") + 1}
    return claims.claim(due(now), limit=limit, mark=mark)


def backoff(attempts: int) -> timedelta:
    """Exponential, capped, with jitter (between half and all of the step), so that messages that
    failed together do not all come back at once."""
    step = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** max(0, attempts - 1)))
    return step * (0.5 + random.random() / 2)  # noqa: S311 — jitter, not a secret


@dataclass(frozen=True)
class Delivery:
    message_id: int
    delivered: bool
    error: str = ""


def claimed(message_ids: list[int], worker_id: str) -> list[OutboxMessage]:
    """The claimed messages, in the order claimed, read at once."""
    rows = OutboxMessage.objects.filter(pk__in=message_ids, claimed_by=worker_id).in_bulk()
    return [rows[pk] for pk in message_ids if pk in rows]


def deliver(message: OutboxMessage, worker_id: str) -> Delivery:
    """Deliver one claimed message: the `delivered` mark (conditional on this worker's claim: the
    row count says whether it is still this worker's) and the handler in one transaction; on
    failure, a second short transaction records the error and the next attempt (or `dead`)."""
    ctx = ChangeContext.for_job(f"outbox:{message.kind}", f"outbox-{message.pk}")
    try:
        with transaction.atomic():
            won = OutboxMessage.objects.filter(
                pk=message.pk, claimed_by=worker_id, state=State.PENDING
            ).update(
                state=State.DELIVERED, delivered_at=clock.now(), claimed_until=None, last_error=""
            )
            if won != 1:  # the lease ran out and another worker has it now
                return Delivery(message.pk, False, "claim lost")
            handler = _handlers.get(message.kind)
            if handler is None:
                raise LookupError(f"no handler is registered for {message.kind!r}")
            handler(ctx, message.payload)
    except Exception as exc:  # any failure of a handler is recorded and retried
        error = f"{type(exc).__name__}: {exc}"[:ERROR_LIMIT]
        _failed(message, worker_id, error)
        logger.warning("outbox %s #%s failed: %s", message.kind, message.pk, error)
        return Delivery(message.pk, False, error)
    return Delivery(message.pk, True)


def _failed(message: OutboxMessage, worker_id: str, error: str) -> None:
    with transaction.atomic():
        attempts = OutboxMessage.objects.filter(pk=message.pk).values_list("attempts", flat=True)
        tried = attempts.first() or 1
        OutboxMessage.objects.filter(
            pk=message.pk, claimed_by=worker_id, state=State.PENDING
        ).update(
            state=State.DEAD if tried >= message.max_attempts else State.PENDING,
            next_attempt_at=clock.now() + backoff(tried),
            claimed_until=None,
            last_error=error,
        )


def release(message_ids: list[int], worker_id: str) -> None:
    """Give back claimed messages not yet started (the worker is stopping): due again at once.
    The attempt their claim counted is given back too."""
    with transaction.atomic():
        OutboxMessage.objects.filter(
            pk__in=message_ids, claimed_by=worker_id, state=State.PENDING
        ).update(claimed_until=None, attempts=F("attempts") - 1)


# --- the dead letters' page --------------------------------------------------------------------


def retry_now(ctx: ChangeContext, message: OutboxMessage) -> OutboxMessage:
    """A dead message gets a fresh set of attempts, due now (audited)."""
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if message.state != State.DEAD:
        raise Conflict(code="outbox_not_dead")
    before = snapshot(message)
    message.state = State.PENDING
    message.attempts = 0
    message.next_attempt_at = clock.now()
    message.claimed_until = None
    message.save()
    ctx.record(message, ObjectChange.Action.UPDATE, before=before)
    return message
