"""The JSON API: one NinjaAPI, one router per app, errors as problem+json."""

import json
import logging
from typing import Any

from django.db import DataError, IntegrityError, connection, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from firstcall.accounts.api import SessionPrincipal, TokenAuth
from firstcall.accounts.api import router as accounts_router
from firstcall.core.errors import (
    BadInput,
    Conflict,
    DomainError,
    NotFound,
    Unauthenticated,
    ValidationFailed,
)
from firstcall.core.inputs import find_forbidden
from firstcall.core.problem import PROBLEM_CONTENT_TYPE, problem_from_error, problem_response
from firstcall.orgs.api import router as orgs_router

log = logging.getLogger(__name__)


class StrictJsonParser(Parser):
    """JSON bodies without NUL or lone surrogates anywhere: ninja answers any parse failure
    with a 400, before a schema or the database sees the value."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if find_forbidden(data):
            raise ValueError("forbidden characters in the body")
        return data


class FirstCallAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        """Error answers are documented with the media type they are sent with."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


api = FirstCallAPI(
    title="FirstCall API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), SessionPrincipal()],
    docs_url="/docs",
    parser=StrictJsonParser(),
)
api.add_router("/accounts", accounts_router, tags=["accounts"])
api.add_router("/orgs", orgs_router, tags=["orgs"])


_PARAM_SOURCES = ("body", "query", "path", "header", "cookie", "form", "file")


def _rollback() -> None:
    # The request's transaction must not keep half of a refused operation.
    if connection.in_atomic_block:
        transaction.set_rollback(True)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    _rollback()
    return problem_from_error(exc, instance=request.path)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    _rollback()
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        parts = [str(part) for part in err.get("loc", ())]
        if parts and parts[0] in _PARAM_SOURCES:
            parts = parts[1:]  # "query.offset" -> "offset"
        loc = ".".join(part for part in parts if part != "payload")
        errors.setdefault(loc or "request", []).append(str(err.get("msg", "")))
    return problem_from_error(ValidationFailed(errors=errors), instance=request.path)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_from_error(Unauthenticated(), instance=request.path)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_from_error(NotFound(), instance=request.path)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    _rollback()
    if exc.status_code == 400:  # ninja could not parse the body (see StrictJsonParser)
        detail = _("The body is not JSON, or it holds characters that are not allowed.")
        return problem_from_error(BadInput(detail, code="malformed_body"), instance=request.path)
    return problem_response(exc.status_code, str(exc), instance=request.path)


@api.exception_handler(IntegrityError)
def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # A service should have answered 409 itself; this is the net under a race it missed.
    log.warning("integrity error on %s: %s", request.path, exc)
    _rollback()
    return problem_from_error(Conflict(code="conflict"), instance=request.path)


@api.exception_handler(DataError)
def on_data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    log.warning("data error on %s: %s", request.path, exc)
    _rollback()
    return problem_from_error(ValidationFailed(code="validation_failed"), instance=request.path)
