"""One transaction per request for async views.

ATOMIC_REQUESTS cannot wrap an async view (it is marked `non_atomic_requests`), and services do
not commit on their own. An async view therefore runs each of its synchronous units of writes
through `atomic_call`, which holds the transaction the service expects: the writes, their audit
rows, outbox messages and timers commit together or not at all.
"""

from collections.abc import Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.db import transaction


def atomic_call[T](fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Call `fn` inside one transaction (synchronous code)."""
    with transaction.atomic():
        return fn(*args, **kwargs)


async def in_transaction[T](fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Call the synchronous `fn` inside one transaction, from async code (on the thread that
    holds the request's database connection)."""
    return await sync_to_async(atomic_call)(fn, *args, **kwargs)
