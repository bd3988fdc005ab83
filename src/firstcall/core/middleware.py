"""FirstCall's middleware. Each one works in both modes, so an async view (the agent's panels)
runs on the server's event loop without hopping to a thread and back on every request."""

import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from whitenoise.middleware import WhiteNoiseMiddleware

from firstcall.core.errors import DomainError
from firstcall.core.problem import problem_from_error

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

Handler = Callable[[HttpRequest], Any]


class _DualMode:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self._acall(request)
        return self._call(request)

    def _call(self, request: HttpRequest) -> HttpResponse:
        raise NotImplementedError

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        raise NotImplementedError


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, able to pass async requests straight through: a static file is answered at
    once, anything else goes down the chain without leaving the event loop."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Handler) -> None:
        super().__init__(get_response)
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self._acall(request)
        return super().__call__(request)

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        if self.autorefresh:
            static_file = self.find_file(request.path_info)
        else:
            static_file = self.files.get(request.path_info)
        if static_file is not None:
            return self.serve(static_file, request)
        response: Awaitable[HttpResponse] = self.get_response(request)
        return await response


class RequestIdMiddleware(_DualMode):
    """Gives every request an id (taken from X-Request-ID when it is well formed)."""

    @staticmethod
    def _tag(request: HttpRequest) -> None:
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex  # type: ignore[attr-defined]

    def _call(self, request: HttpRequest) -> HttpResponse:
        self._tag(request)
        response: HttpResponse = self.get_response(request)
        response["X-Request-ID"] = request.id  # type: ignore[attr-defined]
        return response

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        self._tag(request)
        response: HttpResponse = await self.get_response(request)
        response["X-Request-ID"] = request.id  # type: ignore[attr-defined]
        return response


class DomainErrorMiddleware(_DualMode):
    """Renders a DomainError raised by a view: problem+json for API calls, a message otherwise."""

    def _call(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        return response

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = await self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
            return problem_from_error(exception, instance=request.path)
        template = (
            "web/partials/error.html" if getattr(request, "htmx", False) else "web/error.html"
        )
        return render(request, template, {"error": exception}, status=exception.status)
