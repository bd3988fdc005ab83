"""The agent screen: the workbench streams its shell and then its panels in one answer; a panel
alone is an HTMX partial (a retry, a refresh).

Every panel reads through the call cache, so the panels of one screen (and a retry) ask each back
end at most once per call; a panel whose back end failed says which and offers a retry.
"""

from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import NotFound, ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.core.scope import require_permission
from firstcall.customers import panels, queries, services, viewkit
from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView, is_service_number, normalise_number
from firstcall.taxonomy.queries import get_phenomenon
from firstcall.tickets import queries as tickets


# A look-up reads nothing to write: the shell holds no transaction (on SQLite an immediate one
# would take the write lock every panel's writer waits for).
@transaction.non_atomic_requests
async def workbench(request: HttpRequest) -> HttpResponseBase:
    """The workbench. With a number to look up, one answer: the shell at once, then each panel
    in the same response as soon as its back ends have answered (`panels.stream`)."""
    shell = await sync_to_async(_shell)(request)
    if isinstance(shell, HttpResponse):
        return shell
    html, number, found, phenomenon = shell
    head, end, tail = html.rpartition("</body>")
    if not end:  # a shell without a body's end: the panels follow the page
        head, tail = html, ""

    async def body() -> AsyncIterator[str]:
        yield head
        # The reads start here, on the loop that serves the answer (under WSGI, the test
        # server's, that is not the loop the view ran on).
        visit = viewkit.visit(request, number, found)
        view = CustomerView(visit.reads, speculate=True)
        async for part in panels.stream(request, visit, view, phenomenon):
            yield part
        yield end + tail

    return StreamingHttpResponse(body(), content_type="text/html; charset=utf-8")


def _shell(request: HttpRequest) -> HttpResponse | tuple[str, str, viewkit.Entered, Any]:
    """On a database thread, once: sign-in, the workbench permission, the shell's own data and,
    for a number to look up, the user's scope and the number's kept answers."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require_permission(request.user, queries.USE_WORKBENCH)
    number = normalise_number(request.GET.get("number", ""))
    error = ""
    if number and not is_service_number(number):
        error = _("Enter a service number: 5 to 32 letters or digits.")
    code = request.GET.get("phenomenon", "")
    context = {
        "number": number if number and not error else "",
        "typed": request.GET.get("number", "")[:64],  # shown back, not a megabyte of it
        "number_error": error,
        "phenomenon": get_phenomenon(code),
        "panels": panels.PANELS,
        "held": tickets.held_by(request.user),
        "streamed": bool(number and not error),
    }
    if not context["streamed"]:
        return render(request, "customers/agent.html", context, status=422 if error else 200)
    found = viewkit.entered(request, number)
    html = render_to_string("customers/agent.html", context, request)
    return html, number, found, context["phenomenon"]


@transaction.non_atomic_requests
async def panel(request: HttpRequest, name: str) -> HttpResponse:
    """One panel again (a retry, or a refresh after a repair or a ticket change)."""
    if name not in panels.PANELS:
        raise NotFound()
    visit = await viewkit.enter(request, systems=panels.PANEL_SYSTEMS[name])
    view = CustomerView(visit.reads, speculate=name in ("platforms", "comparison"))
    try:
        customer, context = await panels.reads(name, view)
    except BaseException:
        await viewkit.leave(request, visit, None)
        raise
    then = panels.then_for(name, visit, customer, request.GET.get("phenomenon", ""))
    extra = await viewkit.leave(request, visit, customer, then)
    call = viewkit.call_of(request)
    template, context, status = panels.draw(name, visit, customer, context, extra, call)
    return render(request, template, context, status=status)


@transaction.non_atomic_requests
async def repair(request: HttpRequest) -> HttpResponse:
    """Repair one mismatch (`fix`), or all of them (`fix=all`), then show the comparison again
    with what came of each repair in this request; an earlier repair is shown only as history.

    200 when this request sent a command (whatever came of it), 503 when it sent nothing because
    the platform could not be read, 409 when it sent nothing because another request holds the
    repair or there is nothing to repair. JSON instead of the panel for `Accept: application/json`.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user, number = await viewkit.begin(request)
    wanted = [f for f in request.POST.getlist("fix") if f]
    if not wanted:
        raise ValidationFailed(errors={"fix": [_("Choose what to repair.")]})
    reads = Reads(number, request_id=getattr(request, "id", ""))
    view = CustomerView(reads, speculate=True)
    try:
        customer, unit = await viewkit.customer_of(view, user)
        if not customer.ok or unit is None:
            raise NotFound(_("The customer could not be read; nothing was repaired."))
        if wanted == ["all"]:
            seen = await services.observe(view)
            wanted = [fix.id for fix, _m in seen.comparison.fixes()] if seen else []
        ctx = ChangeContext(
            actor=user,
            source=ObjectChange.Source.WEB,
            request_id=getattr(request, "id", ""),
            reason=_("One-click repair on the agent screen"),
        )
        outcomes = await viewkit.repair(ctx, unit, view, wanted) if wanted else []
        # The comparison after the repair, from the answers the read-back just made.
        after = await services.observe(CustomerView(reads))
    finally:
        await viewkit.end(request, reads)
    status = _repair_status(outcomes)
    if "json" in request.headers.get("Accept", ""):
        return JsonResponse(_repair_json(number, outcomes), status=status)
    context = {"number": number, "customer": customer, "outcomes": outcomes, "repaired": True}
    if after is not None:
        context.update(after.context())
    context["panel"] = "comparison"
    response = render(request, "customers/partials/comparison.html", context)
    response.status_code = status
    if any(o.sent for o in outcomes):
        response["HX-Trigger"] = "fc-customer-changed"
    return response


def _repair_status(outcomes: list[services.Outcome]) -> int:
    if any(o.sent for o in outcomes):
        return 200
    if any(o.state == services.State.NOT_MADE for o in outcomes):
        return 503
    return 409


def _repair_json(number: str, outcomes: list[services.Outcome]) -> dict[str, Any]:
    def row(r: Any) -> dict[str, Any] | None:
        if r is None:
            return None
        return {
            "id": r.pk,
            "status": r.status,
            "verified": r.verified,
            "error_code": r.error_code,
            "created": r.created.isoformat(),
            "finished_at": r.finished_at.isoformat() if r.finished_at else None,
        }

    return {
        "number": number,
        "repairs": [
            {
                "fix": o.fix.id,
                "outcome": o.state,
                "sent": o.sent,
                "repair": row(o.repair),
                "failed_system": o.failed_system or None,
                "failed_code": o.failed_code or None,
                "still_differs": o.differs,
                "earlier": row(o.earlier),
            }
            for o in outcomes
        ],
    }
