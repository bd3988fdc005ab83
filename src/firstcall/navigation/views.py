"""A call on the workbench: start it and follow its flow (auto-diagnosis, branches, the caller's
answers, jump and back). Its page and its outcomes are in `views_call`."""

import asyncio
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import NotFound, ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.core.tx import in_transaction
from firstcall.customers import services as repairs
from firstcall.customers import viewkit
from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.navigation import flowpanel, queries, runtime
from firstcall.navigation.checks import page as pages
from firstcall.navigation.checks.registry import CHECKS
from firstcall.navigation.diagnosis import diagnose
from firstcall.navigation.models import NavigationSession
from firstcall.taxonomy.queries import get_phenomenon


def _ctx(request: HttpRequest, user: Any, reason: str = "") -> ChangeContext:
    return ChangeContext(
        actor=user,
        source=ObjectChange.Source.WEB,
        request_id=getattr(request, "id", ""),
        reason=reason,
    )


@transaction.non_atomic_requests
async def start_call(request: HttpRequest) -> HttpResponse:
    """Open the call: its pre-processing ticket and its session on the phenomenon's flow."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    visit = await viewkit.enter(request, systems=frozenset({"crm"}))
    code = request.POST.get("phenomenon", "")
    phenomenon = await sync_to_async(get_phenomenon)(code)
    try:
        customer = await CustomerView(visit.reads).customer()
    except BaseException:
        await viewkit.leave(request, visit, None)
        raise
    await viewkit.leave(request, visit, customer)
    unit, number = visit.unit, visit.number
    if visit.access != viewkit.OK or unit is None:
        # Taken before the screen could say so (another city's number, no customer, CRM
        # down): back to the workbench, whose customer panel says what is wrong and what to do.
        back = (
            reverse("customers:workbench") + "?" + urlencode({"number": number, "phenomenon": code})
        )
        return redirect(back)
    session = await in_transaction(
        runtime.start,
        _ctx(request, visit.user),
        unit=unit,
        customer_id=str(customer.data.get("cust_id", "")),
        number=number,
        phenomenon_code=phenomenon.code if phenomenon else "",
        phenomenon=phenomenon.name() if phenomenon else "",
        flow_code=phenomenon.flow if phenomenon else "",
        customer_level=str(customer.data.get("star_level") or ""),
    )
    return redirect("navigation:call", pk=session.pk)


@login_required
def diagram(request: HttpRequest, pk: int) -> HttpResponse:
    session = queries.session_for(request.user, pk)
    if session.version is None:
        raise NotFound()
    return HttpResponse(session.version.bpmn, content_type="application/xml; charset=utf-8")


async def _session(request: HttpRequest, pk: int) -> tuple[Any, NavigationSession]:
    user = await viewkit.agent(request)
    return user, await sync_to_async(queries.session_for)(user, pk)


@transaction.non_atomic_requests
async def flow_panel(request: HttpRequest, pk: int) -> HttpResponse:
    _user, session = await _session(request, pk)
    facts, failed, page = await flowpanel.step_facts(session, request)
    context = flowpanel.flow_context(session, facts=facts, failed=failed, step_page=page)
    return render(request, "navigation/partials/flow.html", context)


@transaction.non_atomic_requests
async def step_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The comparison area: the page of the current query step (or of `step`), what it looked at
    side by side, read through the call cache; CRM against the platforms on any other step."""
    _user, session = await _session(request, pk)
    spec = runtime.display_spec(session)
    step = spec.steps.get(request.GET.get("step") or session.current_step) if spec else None
    context: dict[str, Any] = {"session": session, "step": step, "number": session.number}
    check = CHECKS.get(step.check) if step and step.kind == "query" else None
    if step is not None and check is not None:
        reads = Reads(session.number, request_id=getattr(request, "id", ""))
        try:
            page = await pages.step_page(check, CustomerView(reads), pages.facts_used(step, check))
        finally:
            await viewkit.end(request, reads)
        context = flowpanel.page_context(session, step, check, page)
    return render(request, "navigation/partials/step_page.html", context)


@transaction.non_atomic_requests
async def product_info(request: HttpRequest) -> HttpResponse:
    """Function navigation, product info: each product of the customer as CRM records it."""
    visit = await viewkit.enter(request, systems=frozenset({"crm"}))
    view = CustomerView(visit.reads)
    try:
        customer, details = await asyncio.gather(view.customer(), view.products_result())
    except BaseException:
        await viewkit.leave(request, visit, None)
        raise
    await viewkit.leave(request, visit, customer)
    if visit.access in (viewkit.ELSEWHERE, viewkit.NO_CUSTOMER):
        # The customer panel says why; this one stays quiet.
        status = 403 if visit.access == viewkit.ELSEWHERE else 200
        quiet = {"panel": "product-info", "number": visit.number}
        return render(request, "customers/partials/quiet.html", quiet, status=status)
    context = {
        "number": visit.number,
        "customer": customer,
        "details": details,
        "products": pages.product_records(details.data.get("products") or [] if details.ok else []),
    }
    return render(request, "customers/partials/product_info.html", context)


@transaction.non_atomic_requests
async def flow_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Move in the flow: follow the current step's branch (on its facts, or the caller's
    answer), propose a path by auto-diagnosis, accept it, jump or go back."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user, session = await _session(request, pk)
    ctx = _ctx(request, user)
    extra: dict[str, Any] = {}
    if action == "follow":
        facts, failed, _page = await flowpanel.step_facts(session, request)
        if failed:
            raise ValidationFailed(errors={"step": [_("The system behind this step failed.")]})
        answer = request.POST.get("answer", "")
        if request.POST.get("action_ok") in ("0", "1"):
            facts["action_ok"] = request.POST["action_ok"] == "1"
        session = await in_transaction(runtime.follow, ctx, session, facts, answer)
    elif action in ("diagnose", "accept"):
        # The proposal shown is in the agent's language; the one accepted records the flow's own.
        spec = runtime.spec_of(session) if action == "accept" else runtime.display_spec(session)
        if spec is None:
            raise NotFound()
        reads = Reads(session.number, request_id=getattr(request, "id", ""))
        try:
            proposal = await diagnose(
                spec, CustomerView(reads), session.answers, start=session.current_step
            )
        finally:
            await viewkit.end(request, reads)
        if action == "accept":
            session = await in_transaction(runtime.accept, ctx, session, proposal)
        else:
            extra["proposal"] = proposal
    elif action == "execute":
        ok = await _execute(request, user, ctx, session)
        session = await in_transaction(
            runtime.follow, ctx, session, {"action_ok": ok}, repaired=True
        )
    elif action == "jump":
        session = await in_transaction(runtime.jump, ctx, session, request.POST.get("step", ""))
    elif action == "back":
        session = await in_transaction(runtime.back, ctx, session)
    else:
        raise NotFound()
    facts, failed, page = await flowpanel.step_facts(session, request)
    context = flowpanel.flow_context(session, facts=facts, failed=failed, step_page=page, **extra)
    response = render(request, "navigation/partials/flow.html", context)
    if action == "execute":  # a platform changed: the customer's panels read it again
        response["HX-Trigger"] = "fc-customer-changed, fc-comparison-stale"
    return response


async def _execute(
    request: HttpRequest, user: Any, ctx: ChangeContext, session: NavigationSession
) -> bool:
    """Carry out the current action step through the one-click repair path (confirmation in the
    page, idempotency key, read-back, audit): the comparison must show the mismatch the action's
    command repairs. True when the platform was read back repaired."""
    spec = runtime.spec_of(session)
    step = spec.steps.get(session.current_step) if spec else None
    if step is None or step.kind != "action":
        raise ValidationFailed(errors={"step": [_("The call does not stand on an action.")]})
    reads = Reads(session.number, request_id=getattr(request, "id", ""))
    view = CustomerView(reads, speculate=True)
    try:
        (_customer, unit), observed = await asyncio.gather(
            viewkit.customer_of(view, user), repairs.observe(view)
        )
        fix = next(
            (
                f
                for f, _m in (observed.comparison.fixes() if observed else [])
                if f"{f.system}.{f.operation}" == step.action
            ),
            None,
        )
        if fix is None or unit is None:
            raise ValidationFailed(
                errors={
                    "step": [
                        _(
                            "No mismatch this action repairs is shown now; carry it out and say "
                            "whether it worked."
                        )
                    ]
                }
            )
        ctx.reason = _("Action step %(step)s of the guided flow") % {"step": step.id}
        done = await viewkit.repair(ctx, unit, view, [fix.id])
    finally:
        await viewkit.end(request, reads)
    return all(o.state == "succeeded" for o in done)
