"""RFC 9457 problem+json responses, and their schema for the OpenAPI description."""

from typing import Any

from django.http import JsonResponse
from ninja import Schema
from pydantic import ConfigDict

from firstcall.core.errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"


class Problem(Schema):
    """An error answer (RFC 9457). `type` ends in FirstCall's code for it; field errors sit
    under `errors`; a few problems carry one more member (e.g. the missing `permission`)."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: dict[str, list[str]] | None = None


# The errors an operation may answer with: 400 a body or parameter that cannot be read (a NUL,
# broken JSON), 401 no credentials, 403 a permission not held or a session write without its CSRF
# token, 404 an object outside the caller's scope, 409 a conflict with what exists, 422 a value
# that is not valid. Each operation lists the ones it really returns.
READ_ERRORS = (400, 401, 403, 422)
DETAIL_ERRORS = (400, 401, 403, 404, 422)
WRITE_ERRORS = (400, 401, 403, 404, 409, 422)


def with_problems(ok: dict[int, Any], errors: tuple[int, ...]) -> dict[int, Any]:
    """A ninja `response=` map: the operation's own answers and a Problem for each error."""
    return {**ok, **dict.fromkeys(errors, Problem)}


def problem_response(
    status: int,
    title: str,
    detail: str = "",
    *,
    code: str = "",
    instance: str = "",
    **extra: Any,
) -> JsonResponse:
    body: dict[str, Any] = {
        "type": f"urn:firstcall:problem:{code}" if code else "about:blank",
        "title": str(title),
        "status": status,
    }
    if detail:
        body["detail"] = str(detail)
    if instance:
        body["instance"] = instance
    body.update(extra)
    return JsonResponse(
        body,
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def problem_from_error(error: DomainError, instance: str = "") -> JsonResponse:
    extra: dict[str, Any] = dict(error.extra)
    if error.errors:
        extra["errors"] = error.errors
    return problem_response(
        error.status, str(error.title), error.detail, code=error.code, instance=instance, **extra
    )
