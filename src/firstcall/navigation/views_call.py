"""A call on the workbench: its page, and how it ends (resolve, hold, convert, transfer; resume,
expert claim); the expert desk's queue and the routing preview."""

from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import NotFound, ValidationFailed
from firstcall.core.scope import require_permission
from firstcall.navigation import outcomes, queries, routing, runtime
from firstcall.navigation.models import NavigationSession
from firstcall.rules.engine import RuleError
from firstcall.taxonomy.queries import get_phenomenon
from firstcall.tickets import queries as tickets
from firstcall.tickets.models import Ticket
from firstcall.tickets.services import hold_errors

PANELS = ("customer", "account", "products", "platforms", "comparison", "tickets")


@login_required
def call(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, queries.USE_WORKBENCH)
    session = queries.session_for(request.user, pk)
    context = {
        "session": session,
        "ticket": session.ticket,
        "number": session.number,
        "phenomenon": get_phenomenon(session.ticket.phenomenon_code),
        "panels": PANELS,
        "reply": outcomes.suggested_reply(session),
    }
    return render(request, "navigation/call.html", context)


def _when(raw: str, field: str = "resume_at") -> datetime | None:
    """A date and time from a form (`datetime-local`, or ISO 8601 with an offset); None when
    empty. An impossible date (2031-02-30) or offset (+99:00) is a field error."""
    if not raw.strip():
        return None
    try:
        value = parse_datetime(raw.strip())
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
    except (ValueError, OverflowError):
        value = None
    if value is None:
        raise ValidationFailed(errors={field: [_("Enter a valid date and time.")]})
    return value


@login_required
@require_POST
def end_call(request: HttpRequest, pk: int, outcome: str) -> HttpResponse:
    """Resolve, hold, resume, convert, transfer or claim; back to the call page, which shows it."""
    require_permission(request.user, queries.USE_WORKBENCH)
    session = queries.session_for(request.user, pk)
    ctx = ChangeContext.from_request(request)
    post = request.POST
    if outcome == "resolve":
        outcomes.resolve(ctx, session, post.get("reply", ""))
    elif outcome == "hold":
        reason = post.get("reason", "")
        try:
            resume_at = _when(post.get("resume_at", ""))
        except ValidationFailed as bad:  # every field's error at once
            raise ValidationFailed(errors={**hold_errors(reason, None), **bad.errors}) from bad
        outcomes.hold(ctx, session, reason, resume_at)
    elif outcome == "resume":
        outcomes.resume(ctx, session)
    elif outcome == "convert":
        outcomes.convert(
            ctx,
            session,
            kind=post.get("kind", ""),
            receiving_group=post.get("receiving_group", ""),
            summary=post.get("summary", ""),
        )
    elif outcome == "transfer":
        outcomes.transfer(ctx, session, post.get("note", ""))
    elif outcome == "claim":
        require_permission(request.user, "accounts.use_expert_desk")
        outcomes.claim(ctx, session)
    else:
        raise NotFound()
    url = reverse("navigation:call", kwargs={"pk": session.pk})
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
def expert_queue(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, "accounts.use_expert_desk")
    waiting = tickets.expert_queue(request.user)
    sessions = NavigationSession.objects.filter(ticket__in=waiting).select_related("ticket")
    return render(request, "navigation/expert_queue.html", {"sessions": sessions})


@login_required
def routing_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Where converting the call now would send the ticket, as the routing rule set decides."""
    require_permission(request.user, queries.USE_WORKBENCH)
    session = queries.session_for(request.user, pk)
    spec = runtime.spec_of(session)
    step = spec.steps.get(session.current_step) if spec else None
    kind = request.GET.get("kind") or (step.ticket_kind if step else "")
    context: dict[str, Any] = {"kind": kind}
    if kind in ("fault", "complaint"):
        try:
            context["ruling"], _facts = routing.route(session, kind)
            priority = context["ruling"].outputs.get("priority", "")
            context["priority"] = dict(Ticket.Priority.choices).get(priority, priority)
        except (NotFound, RuleError) as exc:
            context["error"] = str(exc)
    return render(request, "navigation/partials/routing.html", context)
