"""Domain errors. Each carries the HTTP status it maps to; a 500 is always a bug."""

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    code = "bad_request"
    title: str | Promise = _("The request cannot be carried out")

    def __init__(
        self,
        detail: str | Promise = "",
        *,
        code: str | None = None,
        errors: dict[str, list[str]] | None = None,
        **extra: Any,
    ) -> None:
        self.detail = str(detail) if detail else str(self.title)
        if code:
            self.code = code
        self.errors = errors or {}
        self.extra = extra
        super().__init__(self.detail)


class BadInput(DomainError):
    """The request itself cannot be read: a NUL byte, a broken character, a malformed body."""

    status = 400
    code = "bad_input"
    title = _("The request contains characters that are not allowed")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    title = _("Not found")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    title = _("You do not have permission to do this")


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"
    title = _("Authentication is required")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = _("The object is not in a state that allows this")


class InvalidTransition(Conflict):
    code = "invalid_transition"


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"
    title = _("The input is not valid")


class Throttled(DomainError):
    status = 429
    code = "throttled"
    title = _("Too many attempts")


class BackendUnavailable(DomainError):
    status = 503
    code = "backend_unavailable"
    title = _("A back-end system is unavailable")
