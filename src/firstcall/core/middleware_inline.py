"""Django's own middleware, run on the event loop for async requests.

Django runs a `MiddlewareMixin` middleware's hooks in async mode through `sync_to_async`: each
hook of each middleware is a hand-over to the request's thread and back, a dozen per agent-screen
panel before its view runs. These subclasses run the hooks that never touch the database inline,
and hand over only when there is database work to do (a session to save, messages kept in the
session). In sync mode they are Django's classes unchanged.
"""

from collections.abc import Awaitable
from typing import Any, cast

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.conf import settings
from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
from django.http import HttpRequest, HttpResponse
from django.middleware import clickjacking, common, csrf, security


class _Inline:
    """For a middleware whose hooks read only the request and write only the response."""

    get_response: Any

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        response = None
        if hasattr(self, "process_request"):
            response = self.process_request(request)
        response = response or await self.get_response(request)
        if hasattr(self, "process_response"):
            response = self.process_response(request, response)
        return response


class SecurityMiddleware(_Inline, security.SecurityMiddleware):
    pass


class CommonMiddleware(_Inline, common.CommonMiddleware):
    pass


class XFrameOptionsMiddleware(_Inline, clickjacking.XFrameOptionsMiddleware):
    pass


class AuthenticationMiddleware(_Inline, auth.AuthenticationMiddleware):
    """Sets the lazy `request.user`: the user is read when a view asks, on the view's thread."""


class CsrfViewMiddleware(_Inline, csrf.CsrfViewMiddleware):
    """The token lives in a cookie (not the session): checking it reads only the request."""

    def __init__(self, get_response: Any) -> None:
        super().__init__(get_response)
        if iscoroutinefunction(get_response):
            check = self.process_view

            async def process_view(
                request: HttpRequest, callback: Any, args: Any, kwargs: Any
            ) -> HttpResponse | None:
                return check(request, callback, args, kwargs)

            # Django hands a sync `process_view` to a thread in async mode; this one is not.
            self.process_view = process_view  # type: ignore[method-assign,assignment]


class SessionMiddleware(sessions.SessionMiddleware):
    """The session is read lazily (by the view, on its thread); it is written, on a thread, only
    when it changed."""

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        self.process_request(request)
        response = await cast("Awaitable[HttpResponse]", self.get_response(request))
        session = getattr(request, "session", None)
        changed = session is not None and (session.modified or settings.SESSION_SAVE_EVERY_REQUEST)
        if session is not None and changed and not session.is_empty():
            return await sync_to_async(self.process_response)(request, response)
        return self.process_response(request, response)


class MessageMiddleware(messages.MessageMiddleware):
    """Messages are stored (in the cookie, or the session) only when a view used or added some."""

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        self.process_request(request)
        response = await cast("Awaitable[HttpResponse]", self.get_response(request))
        storage = getattr(request, "_messages", None)
        if storage is not None and (storage.used or storage.added_new):
            return await sync_to_async(self.process_response)(request, response)
        return response
