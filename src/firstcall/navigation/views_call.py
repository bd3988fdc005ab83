"""A call on the workbench: its page, and how it ends (resolve, hold, convert, transfer; resume,
expert claim); the expert desk's queue and the routing preview."""

import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from firstcall.core import clock
from firstcall.core.audit import ChangeContext
from firstcall.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from firstcall.core.scope import require_permission
from firstcall.customers import panels, viewkit
from firstcall.customers.unified import CustomerView
from firstcall.navigation import flowpanel, outcomes, queries, routing, runtime
from firstcall.navigation.models import NavigationSession
from firstcall.rules.engine import RuleError
from firstcall.taxonomy.queries import get_phenomenon
from firstcall.tickets import queries as tickets
from firstcall.tickets.models import Ticket
from firstcall.tickets.services import hold_errors

PANELS = panels.PANELS
logger = logging.getLogger(__name__)
OUTCOMES = ("resolve", "hold", "resume", "convert", "transfer", "claim")
# Outcomes whose form carries the caller's description and callback number: they are saved with it.
CARRY_CALLER = ("resolve", "hold", "convert", "transfer")
CALLER_FIELDS = ("caller_description", "callback_number")


def _clock(seconds: int) -> str:
    minutes, seconds = divmod(max(0, seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


def _timer(session: NavigationSession) -> dict[str, Any]:
    """The call timer: from the ticket's opening to now, or to the call's end (resolved or
    converted; held or transferred: the last change of the ticket)."""
    ticket = session.ticket
    now = clock.now()
    ended = session.finished_at
    if ended is None and ticket.status != Ticket.Status.OPEN:
        ended = ticket.updated
    seconds = int(((ended or now) - ticket.opened_at).total_seconds())
    return {
        "start": int(ticket.opened_at.timestamp()),
        "end": int(ended.timestamp()) if ended else "",
        "now": int(now.timestamp()),
        "shown": _clock(seconds),
    }


def _message_of(refusal: DomainError | None) -> str:
    """A refusal's own words; none for field errors alone (they stand by their fields)."""
    if refusal is None or (refusal.errors and refusal.detail == str(refusal.title)):
        return ""
    return refusal.detail


def _context(
    session: NavigationSession,
    posted: QueryDict | None = None,
    refusal: DomainError | None = None,
) -> dict[str, Any]:
    """What the call page and its swapped parts show; after a refused post, the values the
    agent typed and the refusal's field errors (or its message) next to them."""
    ticket = session.ticket
    values: dict[str, str] = {"reply": outcomes.suggested_reply(session)}
    values.update({name: getattr(ticket, name) for name in CALLER_FIELDS})
    if posted is not None:
        values.update({name: posted.get(name, "") for name in posted})
    errors = refusal.errors if refusal else {}
    return {
        "session": session,
        "ticket": ticket,
        "number": session.number,
        "values": values,
        "errors": errors,
        "message": _message_of(refusal),
        "status": refusal.status if refusal else 200,
        "caller_editable": ticket.status == Ticket.Status.OPEN,
        "timer": _timer(session),
    }


# The call page reads and writes nothing: no request transaction (on SQLite an immediate one
# takes the write lock the panels' writers wait for).
@transaction.non_atomic_requests
async def call(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The call page: the page at once, then the customer's panels in the same answer, each as
    soon as its back ends have answered (`customers.panels.stream`, scoped by the call)."""
    shell = await sync_to_async(_call_shell)(request, pk)
    if isinstance(shell, HttpResponse):
        return shell
    html, session, found = shell
    head, end, tail = html.rpartition("</body>")
    if not end:
        head, tail = html, ""

    async def body() -> AsyncIterator[str]:
        yield head
        visit = viewkit.visit(request, session.number, found, in_call=True)
        view = CustomerView(visit.reads, speculate=True)
        more = {"flow": _flow(request, session, view)} if session.version else {}
        async for part in panels.stream(request, visit, view, call=session.ticket_id, more=more):
            yield part
        yield end + tail

    return StreamingHttpResponse(body(), content_type="text/html; charset=utf-8")


async def _flow(request: HttpRequest, session: NavigationSession, view: CustomerView) -> str:
    """The flow panel for the call page's answer, its step page read with the panels' reads;
    if it cannot be drawn, a way to ask again."""
    try:
        return await flowpanel.render(request, session, view)
    except Exception:
        logger.exception("the flow panel of call %s could not be drawn", session.pk)
        again = {"panel": "flow", "retry": reverse("navigation:flow", args=[session.pk])}
        return render_to_string("customers/partials/broken.html", again, request)


def _call_shell(
    request: HttpRequest, pk: int
) -> HttpResponse | tuple[str, NavigationSession, viewkit.Entered]:
    """On a database thread, once: sign-in, the call, the page, and what the panels start from
    (the user's scope, the call's unit, the number's kept answers)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require_permission(request.user, queries.USE_WORKBENCH)
    session = queries.session_for(request.user, pk)
    context = _context(session)
    context.update(
        phenomenon=get_phenomenon(session.ticket.phenomenon_code), panels=PANELS, streamed=True
    )
    found = viewkit.entered(request, session.number, call=session.ticket_id)
    html = render_to_string("navigation/call.html", context, request)
    return html, session, found


def _call_page(
    request: HttpRequest,
    session: NavigationSession,
    refusal: DomainError | None = None,
) -> HttpResponse:
    context = _context(session, request.POST if refusal else None, refusal)
    context.update(
        phenomenon=get_phenomenon(session.ticket.phenomenon_code),
        panels=PANELS,
    )
    return render(
        request, "navigation/call.html", context, status=refusal.status if refusal else 200
    )


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


def _carry_out(ctx: ChangeContext, session: NavigationSession, outcome: str, post: Any) -> None:
    if (
        outcome in CARRY_CALLER
        and any(name in post for name in CALLER_FIELDS)
        and session.ticket.status == Ticket.Status.OPEN
    ):
        outcomes.record_caller(
            ctx, session, post.get("caller_description", ""), post.get("callback_number", "")
        )
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
        outcomes.claim(ctx, session)


def _wants_json(request: HttpRequest) -> bool:
    return "json" in request.headers.get("Accept", "")


def _swapped(
    request: HttpRequest,
    session: NavigationSession,
    template: str,
    refusal: DomainError | None = None,
) -> HttpResponse:
    """The parts of the call page an outcome changes, for htmx: the outcome card, and out of
    band the status header (whose style hides the flow's moves once the call has ended) and the
    caller's record. `fc-ticket-changed` tells the tickets panel to read again; the header's
    new status stops the call timer and hides the flow's moves once the call has ended; the
    customer's panels and the flow panel stay as they are."""
    context = _context(session, request.POST if refusal else None, refusal)
    response = render(request, template, context, status=refusal.status if refusal else 200)
    if refusal is None or refusal.status == 409:
        response["HX-Trigger"] = "fc-ticket-changed"
    return response


@login_required
@require_POST
def end_call(request: HttpRequest, pk: int, outcome: str) -> HttpResponse:
    """Resolve, hold, resume, convert, transfer or claim. htmx gets the outcome area, the
    status header and the caller's record in place (a refusal as field errors there, a second
    click on an outcome as a 409 saying what became of the call); a plain form post goes back
    to the call page; a client asking for JSON gets a problem on refusal."""
    require_permission(request.user, queries.USE_WORKBENCH)
    if outcome not in OUTCOMES:
        raise NotFound()
    if outcome == "claim":
        require_permission(request.user, "accounts.use_expert_desk")
    session = queries.session_for(request.user, pk)
    ctx = ChangeContext.from_request(request)
    refusal: DomainError | None = None
    try:
        with transaction.atomic():  # a refusal undoes the caller's record saved with it
            _carry_out(ctx, session, outcome, request.POST)
    except (ValidationFailed, Conflict) as exc:
        if _wants_json(request):
            raise
        refusal = exc
    session = queries.session_for(request.user, pk)
    if request.htmx:  # type: ignore[attr-defined]
        return _swapped(request, session, "navigation/partials/outcome_swap.html", refusal)
    if refusal is not None:
        return _call_page(request, session, refusal)
    return redirect("navigation:call", pk=session.pk)


@login_required
@require_POST
def record_caller(request: HttpRequest, pk: int) -> HttpResponse:
    """Save what the caller says and the callback number while the call goes on (the form saves
    itself as the agent types); htmx gets the saved mark and the field errors only, so nothing
    the agent is typing is replaced."""
    require_permission(request.user, queries.USE_WORKBENCH)
    session = queries.session_for(request.user, pk)
    ctx = ChangeContext.from_request(request)
    refusal: DomainError | None = None
    try:
        with transaction.atomic():
            outcomes.record_caller(
                ctx,
                session,
                request.POST.get("caller_description", ""),
                request.POST.get("callback_number", ""),
            )
    except (ValidationFailed, Conflict) as exc:
        if _wants_json(request):
            raise
        refusal = exc
    session = queries.session_for(request.user, pk)
    if request.htmx:  # type: ignore[attr-defined]
        context = _context(session, request.POST if refusal else None, refusal)
        context["saved_at"] = None if refusal else clock.now()
        status = refusal.status if refusal else 200
        return render(request, "navigation/partials/caller_saved.html", context, status=status)
    if refusal is not None:
        return _call_page(request, session, refusal)
    return redirect("navigation:call", pk=session.pk)


@login_required
def expert_queue(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, "accounts.use_expert_desk")
    waiting = tickets.expert_queue(request.user)
    sessions = list(NavigationSession.objects.filter(ticket__in=waiting).select_related("ticket"))
    transfers = tickets.last_transfers([s.ticket_id for s in sessions])
    for s in sessions:
        s.transfer = transfers.get(s.ticket_id)  # type: ignore[attr-defined]
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
