"""The JSON API: one NinjaAPI, one router per app, errors as problem+json."""

from django.db import connection, transaction
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from firstcall.accounts.api import SessionPrincipal, TokenAuth
from firstcall.accounts.api import router as accounts_router
from firstcall.core.errors import DomainError
from firstcall.core.problem import problem_from_error, problem_response
from firstcall.orgs.api import router as orgs_router

api = NinjaAPI(
    title="FirstCall API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), SessionPrincipal()],
    docs_url="/docs",
)
api.add_router("/accounts", accounts_router, tags=["accounts"])
api.add_router("/orgs", orgs_router, tags=["orgs"])


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
        loc = ".".join(str(part) for part in err.get("loc", ()) if part not in ("body", "payload"))
        errors.setdefault(loc or "request", []).append(str(err.get("msg", "")))
    return problem_response(
        422,
        "The input is not valid",
        code="validation_failed",
        instance=request.path,
        errors=errors,
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        401, "Authentication is required", code="unauthenticated", instance=request.path
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(404, "Not found", code="not_found", instance=request.path)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    _rollback()
    return problem_response(exc.status_code, str(exc), instance=request.path)
