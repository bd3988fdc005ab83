"""The flow panel of a call: the current step, its branches or answers, the flow's steps in
order, and the current query step's page built from the same run of its check. Drawn by the
flow panel's own request (`views.flow_panel`, and after every move) and in the call page's own
answer (`views_call.call`)."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string, select_template

from firstcall.customers import viewkit
from firstcall.customers.gather import Reads
from firstcall.customers.unified import CustomerView
from firstcall.navigation import outcomes, queries, runtime
from firstcall.navigation.checks import page as pages
from firstcall.navigation.checks.registry import CHECKS
from firstcall.navigation.diagnosis import stop_at
from firstcall.navigation.models import NavigationSession


def flow_context(session: NavigationSession, **extra: Any) -> dict[str, Any]:
    spec = runtime.display_spec(session)
    context: dict[str, Any] = {"session": session, "spec": spec, **extra}
    if spec is not None:
        step = spec.steps.get(session.current_step)
        steps = queries.steps_in_order(spec)
        context.update(
            step=step,
            steps=steps,
            visited=sorted({e["step"] for e in session.path}),
            check=CHECKS.get(step.check) if step and step.kind == "query" else None,
            kind=pages.STEP_KINDS.get(step.kind, step.kind) if step else "",
            nav=[(s, pages.STEP_KINDS.get(s.kind, s.kind)) for s in steps],
            answered=step is not None
            and step.kind in ("ask", "guide", "decide")
            and any(b.answer for b in step.branches),
            reply=outcomes.suggested_reply(session),
            # a step the data decides where no branch holds on its facts: which, and on what
            stop=stop_at(spec, step, extra["facts"]) if extra.get("facts") else None,
        )
    return context


async def step_facts(
    session: NavigationSession, request: HttpRequest, view: CustomerView | None = None
) -> tuple[dict[str, Any], str, str]:
    """The current query step's facts, read through the call cache, an error code if its system
    could not be read, and the step's page built from the same run of its check (so the page
    the flow panel shows does not run the check again). With `view`, the reads are that view's
    (the call page's panels'), kept by whoever owns it."""
    spec = runtime.spec_of(session)
    step = spec.steps.get(session.current_step) if spec else None
    if step is None or step.kind != "query" or step.check not in CHECKS:
        return {}, "", ""
    check = CHECKS[step.check]
    if view is not None:
        page = await pages.step_page(check, view, pages.facts_used(step, check))
    else:
        reads = Reads(session.number, request_id=getattr(request, "id", ""))
        try:
            page = await pages.step_page(check, CustomerView(reads), pages.facts_used(step, check))
        finally:
            await viewkit.end(request, reads)
    display = runtime.display_spec(session)
    shown = display.steps.get(step.id, step) if display else step
    html = render_to_string(
        "navigation/partials/step_page.html",
        page_context(session, shown, check, page),
        request,
    )
    return page.values, page.refused, html


def page_context(
    session: NavigationSession, step: Any, check: Any, page: pages.Page
) -> dict[str, Any]:
    # A step may name its own page; a name no template answers falls back to the check's.
    names = [n for n in (step.template, check.template) if n]
    return {
        "session": session,
        "step": step,
        "number": session.number,
        "page": page,
        "template": select_template([*names, "navigation/checks/base.html"]),
    }


async def render(
    request: HttpRequest, session: NavigationSession, view: CustomerView | None = None
) -> str:
    """The flow panel's HTML, with the current query step's page."""
    facts, failed, page = await step_facts(session, request, view)
    context = flow_context(session, facts=facts, failed=failed, step_page=page)
    return render_to_string("navigation/partials/flow.html", context, request)
