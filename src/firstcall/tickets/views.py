"""A ticket's page: what it is, where it came from and went, what the call found, its history,
and notes."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import ValidationFailed
from firstcall.tickets import queries, services


def _context(request: HttpRequest, code: str) -> dict:
    ticket = queries.ticket_for(request.user, code)
    return {
        "ticket": ticket,
        "events": queries.history(ticket),
        "converted_to": list(ticket.converted_to.all()),
        "diagnosis": ticket.diagnosis or {},
    }


@login_required
def ticket_detail(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "tickets/ticket_detail.html", _context(request, code))


@login_required
@require_POST
def add_note(request: HttpRequest, code: str) -> HttpResponse:
    ticket = queries.ticket_for(request.user, code)
    error = ""
    try:
        services.add_note(ChangeContext.from_request(request), ticket, request.POST.get("note", ""))
    except ValidationFailed as exc:
        error = next(iter(exc.errors.get("note", [])), exc.detail)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("tickets:detail", code=code)
    context = {**_context(request, code), "note_error": error}
    status = 422 if error else 200
    return render(request, "tickets/partials/history.html", context, status=status)
