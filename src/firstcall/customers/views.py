"""The agent screen: a shell that renders at once, and one async HTMX partial per panel.

Every panel reads through the call cache, so the panels of one screen (and a retry) ask each back
end at most once per call; a panel whose back end failed says which and offers a retry.
"""

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import NotFound, ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.core.scope import require_permission
from firstcall.customers import display, queries, services, viewkit
from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView, is_service_number, normalise_number
from firstcall.integrations.envelope import Result
from firstcall.taxonomy.queries import get_phenomenon
from firstcall.tickets import queries as tickets

PANELS = ("customer", "account", "products", "platforms", "comparison", "tickets")


# A look-up reads nothing to write: the shell holds no transaction (on SQLite an immediate one
# would take the write lock every panel's writer waits for).
@transaction.non_atomic_requests
@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, queries.USE_WORKBENCH)
    number = normalise_number(request.GET.get("number", ""))
    error = ""
    if number and not is_service_number(number):
        error = _("Enter a service number: 5 to 32 letters or digits.")
    context = {
        "number": number if number and not error else "",
        "typed": request.GET.get("number", "")[:64],  # shown back, not a megabyte of it
        "number_error": error,
        "phenomenon": get_phenomenon(request.GET.get("phenomenon", "")),
        "panels": PANELS,
        "held": tickets.held_by(request.user),
    }
    return render(request, "customers/agent.html", context, status=422 if error else 200)


def _render(request: HttpRequest, panel: str, context: dict[str, Any]) -> HttpResponse:
    context.setdefault("panel", panel)
    return render(request, f"customers/partials/{panel}.html", context)


# The systems whose kept answers each panel reads (None: any system).
PANEL_SYSTEMS: dict[str, frozenset[str] | None] = {
    "customer": frozenset({"crm"}),
    "account": frozenset({"crm", "billing", "points"}),
    "products": frozenset({"crm"}),
    "tickets": frozenset({"crm"}),
    "platforms": None,
    "comparison": None,
}


@transaction.non_atomic_requests
async def panel(request: HttpRequest, name: str) -> HttpResponse:
    if name not in PANELS:
        raise NotFound()
    visit = await viewkit.enter(request, systems=PANEL_SYSTEMS[name])
    view = CustomerView(visit.reads, speculate=name in ("platforms", "comparison"))
    try:
        customer, context = await _panel_reads(name, view)
    except BaseException:
        await viewkit.leave(request, visit, None)
        raise
    then = _then(name, request, visit, customer)
    extra = await viewkit.leave(request, visit, customer, then)
    context.update(number=visit.number, customer=customer, call=viewkit.call_of(request))
    if visit.access in (viewkit.ELSEWHERE, viewkit.NO_CUSTOMER):
        return _dead_end(request, name, visit, customer, context)
    context.update(extra or {})
    if name == "products" and not context["call"]:
        context["misfit"] = _misfit(context.get("phenomenon"), context.get("products") or [])
    return _render(request, name, context)


def _misfit(phenomenon: Any, products: list[dict[str, Any]]) -> str:
    """The products a phenomenon concerns, named, when the customer has none of them."""
    kinds = list(getattr(phenomenon, "product_kinds", None) or [])
    have = {p.get("product_type") for p in products}
    if not kinds or not products or have & set(kinds):
        return ""
    return str(_(", ")).join(str(display.PRODUCT_TYPES.get(k, k)) for k in kinds)


def _then(
    name: str, request: HttpRequest, visit: viewkit.Visit, customer: Result
) -> Callable[[], dict[str, Any]] | None:
    """What a panel reads from FirstCall's own data once the user may see the customer."""
    if not customer.ok:
        return None
    if name == "tickets":
        cust_id = str(customer.data.get("cust_id", ""))
        return partial(_ticket_context, visit.user, cust_id, visit.number)
    if name == "products" and request.GET.get("phenomenon"):
        return partial(_phenomenon_context, request.GET["phenomenon"])
    return None


async def _panel_reads(name: str, view: CustomerView) -> tuple[Result, dict[str, Any]]:
    """The back-end reads of one panel; whether the user may see them is decided after."""
    if name == "account":
        customer, (billing, points) = await asyncio.gather(view.customer(), view.account())
        return customer, {"billing": billing, "points": points}
    if name == "products":
        customer, details = await asyncio.gather(view.customer(), view.products_result())
        items = details.data.get("products") or [] if details.ok else []
        return customer, {"details": details, "products": display.products(items)}
    if name == "platforms":
        customer, platforms = await asyncio.gather(view.customer(), view.platforms())
        rows = display.platforms(platforms)
        return customer, {
            "platforms": rows,
            "platforms_failed": any(p["failed"] for p in rows),
        }
    if name == "comparison":
        customer, observed = await asyncio.gather(view.customer(), services.observe(view))
        return customer, observed.context() if observed is not None else {}
    customer = await view.customer()
    context: dict[str, Any] = {}
    if name == "tickets" and customer.ok:
        context["persona"] = customer.data.get("persona_30d") or {}
    return customer, context


def _dead_end(
    request: HttpRequest,
    name: str,
    visit: viewkit.Visit,
    customer: Result,
    context: dict[str, Any],
) -> HttpResponse:
    """A number the agent cannot work: the customer panel says once why and what to do (and, on
    the workbench, takes away "Take the call"); every other panel shows only a quiet line."""
    elsewhere = visit.access == viewkit.ELSEWHERE
    status = 403 if elsewhere else 200
    if name != "customer":
        return render(
            request,
            "customers/partials/quiet.html",
            {"panel": name, **_quiet(context)},
            status=status,
        )
    region = customer.data.get("region") or {} if elsewhere else {}
    dead = {
        "panel": name,
        "number": visit.number,
        "call": context.get("call"),
        "reason": visit.access,
        "place": " ".join(str(region.get(k) or "") for k in ("province", "city")).strip(),
        "unit": visit.unit,
    }
    return render(request, "customers/partials/dead_end.html", dead, status=status)


def _quiet(context: dict[str, Any]) -> dict[str, Any]:
    return {"number": context.get("number"), "call": context.get("call")}


def _phenomenon_context(code: str) -> dict[str, Any]:
    return {"phenomenon": get_phenomenon(code)}


def _ticket_context(user: Any, cust_id: str, number: str) -> dict[str, Any]:
    # The agent on the call sees the tickets of the units where they work the workbench.
    own = tickets.for_customer(user, cust_id, action=queries.USE_WORKBENCH)
    return {
        "open_tickets": [t for t in own if t.is_open],
        "past_tickets": [t for t in own if not t.is_open],
        "concerns": tickets.concerns(cust_id),
        "repairs": queries.recent_repairs(user, number),
    }


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
    response = _render(request, "comparison", context)
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
