"""The inbox: a message from another system is acted on once, however often it arrives.

An endpoint that receives messages (a listener's callback, an operations system's reply) calls
`receive(source, external_id, …)` in its request's transaction and does its work only when the
message is new. The row and the work commit together; a repeated delivery, concurrent or later,
finds the row and does nothing. `(source, external_id)` is unique in the database, so two
deliveries racing each other cannot both be new.
"""

from typing import Any

from django.db import IntegrityError, transaction

from firstcall.core import clock
from firstcall.core.models import InboxMessage


def receive(
    source: str, external_id: str, *, kind: str = "", payload: dict[str, Any] | None = None
) -> tuple[InboxMessage, bool]:
    """Record the message; `(row, True)` the first time, `(the first row, False)` after."""
    existing = InboxMessage.objects.filter(source=source, external_id=external_id).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():  # a savepoint: a concurrent delivery of the same message
            row = InboxMessage.objects.create(
                source=source,
                external_id=external_id,
                kind=kind,
                payload=payload or {},
                received_at=clock.now(),
            )
    except IntegrityError:
        return InboxMessage.objects.get(source=source, external_id=external_id), False
    return row, True
