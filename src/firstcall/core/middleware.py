"""FirstCall's middleware. Each one works in both modes, so an async view (the agent's panels)
runs on the server's event loop without hopping to a thread and back on every request."""

import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.db import DataError, IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from whitenoise.middleware import WhiteNoiseMiddleware

from firstcall.core.errors import BadInput, Conflict, DomainError, ValidationFailed
from firstcall.core.inputs import has_forbidden_characters, querydict_has_forbidden
from firstcall.core.problem import problem_from_error

log = logging.getLogger(__name__)

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


def render_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    """A domain error as the caller reads it: problem+json for the API (or a client asking for
    JSON), the message partial for HTMX, the message in the layout for a page."""
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        return problem_from_error(error, instance=request.path)
    htmx = getattr(request, "htmx", False) or request.headers.get("HX-Request") == "true"
    template = "web/partials/error.html" if htmx else "web/error.html"
    return render(request, template, {"error": error}, status=error.status)


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class InputGuardMiddleware(_DualMode):
    """Refuses, with a 400, a NUL byte or a broken character in any query parameter or form
    field before a view or the database sees it; drops a cookie that holds one (a session key
    with a NUL would otherwise reach the session table)."""

    @staticmethod
    def _refusal(request: HttpRequest) -> HttpResponse | None:
        for name, value in list(request.COOKIES.items()):
            if has_forbidden_characters(name) or has_forbidden_characters(value):
                del request.COOKIES[name]
        bad = querydict_has_forbidden(request.GET.lists())
        if not bad and request.content_type in _FORM_TYPES:
            bad = querydict_has_forbidden(request.POST.lists())
        if not bad:
            return None
        # This runs before the locale middleware: answer in the language it would have chosen.
        with translation.override(translation.get_language_from_request(request)):
            return render_error(request, BadInput(code="forbidden_characters"))

    def _call(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        response: HttpResponse = self.get_response(request)
        return response

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        response: HttpResponse = await self.get_response(request)
        return response


class DomainErrorMiddleware(_DualMode):
    """Renders a DomainError raised by a view: problem+json for API calls, a message otherwise;
    an IntegrityError as a 409 and a DataError as a 422."""

    def _call(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        return response

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = await self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError):
            return render_error(request, exception)
        # The net under a race or a limit a service missed: the request's transaction has been
        # rolled back by the time this runs; say what happened instead of a 500.
        if isinstance(exception, IntegrityError):
            log.warning("integrity error on %s: %s", request.path, exception)
            return render_error(request, Conflict(code="conflict"))
        if isinstance(exception, DataError):
            log.warning("data error on %s: %s", request.path, exception)
            return render_error(request, ValidationFailed(code="validation_failed"))
        return None
