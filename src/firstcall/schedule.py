"""The scheduled jobs: what the worker enqueues, and how often (docs/background.md).

One timer per job holds when it last ran and when it runs next, so that several workers enqueue
each run once, and a restart neither skips nor repeats one.
"""

from datetime import timedelta

from django.utils.translation import gettext_noop

from firstcall.accounts.tasks import expire_api_tokens
from firstcall.core.schedule import Job
from firstcall.core.tasks import purge_background_history
from firstcall.customers.tasks import finish_pending_repairs, purge_call_cache

JOBS = [
    Job(
        "finish_pending_repairs",
        finish_pending_repairs,
        timedelta(minutes=1),
        gettext_noop("Settle repairs left pending"),
    ),
    Job(
        "purge_call_cache",
        purge_call_cache,
        timedelta(minutes=5),
        gettext_noop("Purge back-end answers kept past a call"),
    ),
    Job(
        "expire_api_tokens",
        expire_api_tokens,
        timedelta(hours=1),
        gettext_noop("Deactivate expired API tokens"),
    ),
    Job(
        "purge_background_history",
        purge_background_history,
        timedelta(days=1),
        gettext_noop("Purge finished background work older than a week"),
    ),
]
