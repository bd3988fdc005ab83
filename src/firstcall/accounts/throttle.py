"""Failed sign-in throttling, counted in the database so that every server process agrees.

The address is the client's as `core.net.client_address` finds it (behind a trusted proxy, from
X-Forwarded-For). These functions write inside the caller's transaction and never commit: the
sign-in view holds one short transaction for its writes, so a failure is counted when the view
answers with the form again (or 429).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings

from firstcall.accounts.models import LoginThrottle
from firstcall.core import clock
from firstcall.core.masking import mask_key

log = logging.getLogger(__name__)


def _keys(username: str, address: str) -> list[str]:
    keys = [f"user:{username.strip().lower()}"[:200]]
    if address:
        keys.append(f"addr:{address}"[:200])
    return keys


def locked_until(username: str, address: str) -> datetime | None:
    """When the lock on this username or address ends, or None if sign-in may be tried."""
    now = clock.now()
    until = (
        LoginThrottle.objects.filter(key__in=_keys(username, address), locked_until__gt=now)
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )
    return until


def record_failure(username: str, address: str) -> datetime | None:
    """Count one failed attempt; return the lock's end if this failure locked sign-in."""
    now = clock.now()
    window = timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    lock_end: datetime | None = None
    for key in _keys(username, address):
        row, _ = LoginThrottle.objects.select_for_update().get_or_create(
            key=key, defaults={"window_start": now}
        )
        if row.window_start + window < now:
            row.failures, row.window_start, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= settings.LOGIN_FAILURE_LIMIT:
            row.locked_until = now + window
            lock_end = row.locked_until
        row.save()
    if lock_end:
        log.warning("sign-in locked for user %s from %s", mask_key(username), address or "-")
    return lock_end


def record_success(username: str, address: str) -> None:
    LoginThrottle.objects.filter(key=_keys(username, address)[0]).delete()
