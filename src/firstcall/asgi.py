import itertools
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import SyncToAsync, ThreadSensitiveContext
from django.core.asgi import get_asgi_application
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "firstcall.settings")

# whitenoise streams static files through a synchronous iterator; they are small and cached, so
# Django's notice that it must consume them in a thread is expected, not a problem.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous")


def _threads() -> int:
    raw = os.environ.get("FIRSTCALL_REQUEST_THREADS", "4")
    return max(1, min(64, int(raw))) if raw.isdigit() else 4


class RequestThreads(ThreadSensitiveContext):
    """A request's thread-sensitive work (its database work) on one thread of a fixed few,
    instead of a thread started and joined for each request, as Django does: each request still
    runs all its sync work on one thread, in order, and each thread keeps its database
    connection. A thread may serve several requests' calls in turn; a call that waits for the
    database holds only its own thread."""

    pool = [
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="request") for _ in range(_threads())
    ]
    turn = itertools.count()

    async def __aenter__(self) -> "RequestThreads":
        await super().__aenter__()
        if self.token is not None:  # the outermost context: give it its thread
            executor = self.pool[next(self.turn) % len(self.pool)]
            SyncToAsync.context_to_thread_executor[self] = executor
        return self

    async def __aexit__(self, exc: Any, value: Any, tb: Any) -> None:
        # The thread goes back to the pool: Django's context would shut its executor down.
        SyncToAsync.context_to_thread_executor.pop(self, None)
        await super().__aexit__(exc, value, tb)


class FirstCallASGIHandler(ASGIHandler):
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        async with RequestThreads():
            await self.handle(scope, receive, send)


get_asgi_application()  # sets Django up
application = FirstCallASGIHandler()

# The expression parser's tables take a third of a second to build: at start, not on a call.
from firstcall.rules.expressions import warm_up  # noqa: E402 — needs the apps loaded above

warm_up()
