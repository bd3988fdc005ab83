"""RFC 9457 problem+json responses."""

from typing import Any

from django.http import JsonResponse

from firstcall.core.errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"


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
