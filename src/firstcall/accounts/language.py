"""The interface language: zh-hans unless the user chose English.

The browser's Accept-Language is never asked: agents' browsers are often set up in English, and
the screens, flows and replies are written in Chinese first. A user's choice is kept on the user
(`User.language`) and, for each request, in the language cookie, which sign-in and the language
setting write. Reading the cookie costs no database query, so the agent's async panels pay no
thread hop for it.
"""

from collections.abc import Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

DEFAULT = settings.LANGUAGE_CODE  # zh-hans unless FIRSTCALL_LANGUAGE says otherwise
CODES = {code for code, _name in settings.LANGUAGES}


def chosen(request: HttpRequest) -> str:
    """The language of this request: the user's choice (the cookie), else zh-hans."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return code if code in CODES else DEFAULT


def remember(response: HttpResponse, code: str) -> HttpResponse:
    """Keep `code` as this browser's language; an empty code is the default."""
    if code in CODES and code != DEFAULT:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    else:
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
        )
    return response


class LanguageMiddleware:
    """Activates the request's language (see `chosen`) in place of Django's LocaleMiddleware,
    which would follow the browser. Pure: runs on the event loop in async mode."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def _begin(self, request: HttpRequest) -> str:
        code = chosen(request)
        translation.activate(code)
        request.LANGUAGE_CODE = code
        return code

    @staticmethod
    def _end(response: HttpResponse, code: str) -> HttpResponse:
        response.headers.setdefault("Content-Language", code)
        return response

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self.__acall__(request)
        code = self._begin(request)
        return self._end(self.get_response(request), code)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        code = self._begin(request)
        response = await self.get_response(request)
        return self._end(response, code)
