"""The back office's ticket page: the ticket's fields, what the call found, the current steps with
their forms and the operations the user may perform, the history, the SLA clocks and the process
diagram; and the posts that claim a step, complete it with an action, hand it over, or make a
ticket-level operation (chase, stage reply and notice, deferral, cancel, reopen).

A refusal re-renders the page: a validation failure with the errors at their fields (422), a
conflict (someone acted first, a stale revision: 409) with the ticket's current state and a
message. A client asking for JSON gets the problem instead."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from firstcall.core import clock
from firstcall.core.audit import ChangeContext
from firstcall.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from firstcall.core.scope import require_permission
from firstcall.orgs.models import OrgUnit
from firstcall.sla import queries as sla_queries
from firstcall.tickets.models import Ticket
from firstcall.workflows import queries, services, views_forms
from firstcall.workflows.models import WorkItem
from firstcall.workflows.views_lists import (
    ACTION_LABELS,
    PRIORITIES,
    QUALITY_STEPS,
    REVIEW_LABELS,
    time_left,
)

# Ticket-level operations: name -> (the fields it reads, its label).
OPERATIONS: dict[str, tuple[tuple[str, ...], Any]] = {
    "chase": (("note",), _("Chase")),
    "stage_reply": (("text",), _("Stage reply")),
    "stage_notice": (("text",), _("Stage notice")),
    "deferral": (("until", "reason"), _("Request a deferral")),
    "cancel": (("reason",), _("Cancel the ticket")),
    "reopen": (("reason",), _("Reopen")),
}
TEXT_LIMIT = 2000


def _sla_template() -> str:
    try:
        get_template("sla/clocks.html")
    except TemplateDoesNotExist:
        return ""
    return "sla/clocks.html"


def _context(
    request: HttpRequest,
    ticket: Ticket,
    *,
    refusal: DomainError | None = None,
    refused_item: int | None = None,
) -> dict[str, Any]:
    now = clock.now()
    instance = queries.instance_of(ticket)
    items = queries.ticket_items(ticket) if instance else []
    posted = request.POST if refusal is not None else None
    errors = refusal.errors if refusal is not None else {}
    for item in items:
        item.instance = instance  # type: ignore[assignment]
        item.ticket = ticket
        item.left, item.overdue = time_left(item.due_at, now)  # type: ignore[attr-defined]
        own = refused_item == item.pk
        labels = (
            ACTION_LABELS if item.task_spec in QUALITY_STEPS else {**ACTION_LABELS, **REVIEW_LABELS}
        )
        views_forms.decorate(
            item,
            ticket,
            request.user,
            labels,
            posted=posted if own else None,
            errors=errors if own else None,
        )
    ticket.priority_label = PRIORITIES.get(ticket.priority, "")  # type: ignore[attr-defined]
    works_here = any(item.actions for item in items)  # type: ignore[attr-defined]
    return {
        "ticket": ticket,
        "instance": instance,
        "items": items,
        "events": list(ticket.events.select_related("user").order_by("time", "id")),
        "diagnosis_path": _diagnosis_path(ticket),
        "clocks": sla_queries.clocks_for(ticket),
        "sla_template": _sla_template(),
        "current": " ".join(sorted({item.task_spec for item in items})),
        "visited": " ".join(dict.fromkeys(instance.path if instance else [])),
        "path_taken": " ".join(str(step) for step in (instance.path if instance else [])),
        "operations": _operations(ticket, works_here) if instance else [],
        "refusal": refusal,
        "refused_item": refused_item,
        "refused_operation": request.resolver_match.kwargs.get("name", "")
        if refusal is not None and request.resolver_match
        else "",
        "posted": posted,
        "field_errors": errors,
    }


def _diagnosis_path(ticket: Ticket) -> list[dict[str, Any]]:
    """The steps the call's guided flow went through (what the call found), as recorded."""
    diagnosis = ticket.diagnosis if isinstance(ticket.diagnosis, dict) else {}
    path = diagnosis.get("path")
    return [e for e in path if isinstance(e, dict)] if isinstance(path, list) else []


def _operations(ticket: Ticket, works_here: bool) -> list[tuple[str, Any, tuple[str, ...], str]]:
    """The ticket-level operations the page offers (the services decide who may)."""
    if ticket.status in (Ticket.Status.ARCHIVED, Ticket.Status.CLOSED):
        names = ["reopen"]
    elif ticket.status == Ticket.Status.CANCELLED:
        names = []
    else:
        names = ["chase", "stage_reply", "stage_notice", "cancel"]
        if works_here and ticket.status != Ticket.Status.DEFERRED:
            names.insert(3, "deferral")
    return [
        (
            name,
            OPERATIONS[name][1],
            OPERATIONS[name][0],
            reverse(f"workflows:op_{name}", args=[ticket.code]),
        )
        for name in names
    ]


def _ticket(request: HttpRequest, code: str) -> Ticket:
    require_permission(request.user, queries.USE_BACK_OFFICE)
    ticket = queries.ticket_in_scope(request.user, code)
    if ticket is None:
        raise NotFound(gettext("There is no ticket %(code)s you may see.") % {"code": code[:32]})
    return ticket


def _page(
    request: HttpRequest,
    ticket: Ticket,
    refusal: DomainError | None = None,
    refused_item: int | None = None,
) -> HttpResponse:
    context = _context(request, ticket, refusal=refusal, refused_item=refused_item)
    status = refusal.status if refusal is not None else 200
    return render(request, "workflows/ticket.html", context, status=status)


@login_required
def ticket_page(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, _ticket(request, code))


@login_required
def diagram(request: HttpRequest, code: str) -> HttpResponse:
    """The BPMN document of the ticket's process version, for the viewer."""
    ticket = _ticket(request, code)
    instance = queries.instance_of(ticket)
    if instance is None:
        raise NotFound()
    return HttpResponse(instance.version.bpmn, content_type="application/xml; charset=utf-8")


def _item(request: HttpRequest, code: str, pk: int) -> tuple[Ticket, WorkItem]:
    ticket = _ticket(request, code)
    item = queries.item_for(request.user, pk)
    if item is None or item.ticket_id != ticket.pk:
        raise NotFound()
    return ticket, item


def _revision(raw: Any) -> int:
    text = str(raw or "")
    value = int(text) if text.isascii() and text.isdigit() and len(text) < 10 else -1
    if value < 0:
        raise ValidationFailed(
            errors={"revision": [gettext("The page is out of date; open it again.")]}
        )
    return value


def _shown_revision(raw: Any) -> int | None:
    """The revision a form was shown at, when it carries one (a second click is then a
    conflict, not a second effect)."""
    return _revision(raw) if raw not in (None, "") else None


def _wants_json(request: HttpRequest) -> bool:
    return "json" in request.headers.get("Accept", "")


def _carry_out(
    request: HttpRequest,
    ticket: Ticket,
    run: Callable[[ChangeContext], Any],
    item: int | None = None,
) -> HttpResponse:
    try:
        with transaction.atomic():
            run(ChangeContext.from_request(request))
    except (ValidationFailed, Conflict) as exc:
        if _wants_json(request):
            raise
        ticket.refresh_from_db()
        return _page(request, ticket, exc, item)
    return redirect("workflows:ticket", code=ticket.code)


@login_required
@require_POST
def claim(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    ticket, item = _item(request, code, pk)
    response = _carry_out(request, ticket, lambda ctx: services.claim(ctx, item), item.pk)
    if request.POST.get("next") == "todo" and response.status_code == 302:
        return redirect("workflows:todo")
    return response


@login_required
@require_POST
def act(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    ticket, item = _item(request, code, pk)
    action = str(request.POST.get("action", ""))[:40]
    fields = views_forms.answers(item, action, request.POST)

    def run(ctx: ChangeContext) -> None:
        revision = _revision(request.POST.get("revision"))
        services.act(ctx, item, action, fields, revision=revision)

    return _carry_out(request, ticket, run, item.pk)


@login_required
@require_POST
def transfer(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """移交: the same step to another unit."""
    ticket, item = _item(request, code, pk)

    def run(ctx: ChangeContext) -> None:
        raw = str(request.POST.get("unit", ""))
        unit = (
            OrgUnit.objects.filter(pk=int(raw)).first()
            if raw.isascii() and raw.isdigit() and len(raw) < 10
            else None
        )
        if unit is None:
            raise ValidationFailed(errors={"unit": [gettext("Choose a unit.")]})
        note = _text(request.POST.get("note"), "note")
        shown = _shown_revision(request.POST.get("revision"))
        services.transfer(ctx, item, unit, note, revision=shown)

    return _carry_out(request, ticket, run, item.pk)


@login_required
@require_POST
def redispatch(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """重派: the ticket's dispatcher sends a ready handling step to another department."""
    ticket, item = _item(request, code, pk)

    def run(ctx: ChangeContext) -> None:
        raw = str(request.POST.get("unit", ""))
        found = raw.isascii() and raw.isdigit() and len(raw) < 10
        unit = OrgUnit.objects.filter(pk=int(raw)).first() if found else None
        if unit is None:
            raise ValidationFailed(errors={"unit": [gettext("Choose a unit.")]})
        note = _text(request.POST.get("note"), "note")
        shown = _shown_revision(request.POST.get("revision"))
        services.redispatch(ctx, item, unit, note, revision=shown)

    return _carry_out(request, ticket, run, item.pk)


def _text(raw: Any, name: str) -> str:
    text = str(raw or "")
    if len(text) > TEXT_LIMIT:
        raise ValidationFailed(
            errors={name: [gettext("At most %(n)s characters.") % {"n": TEXT_LIMIT}]}
        )
    return text


def _until(raw: Any) -> datetime:
    text = str(raw or "").strip().replace(" ", "T")
    try:
        value = parse_datetime(text) if 0 < len(text) < 40 else None
    except (ValueError, OverflowError):
        value = None
    if value is None:
        raise ValidationFailed(errors={"until": [gettext("Enter a valid date and time.")]})
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@login_required
@require_POST
def operation(request: HttpRequest, code: str, name: str) -> HttpResponse:
    ticket = _ticket(request, code)
    if name not in OPERATIONS:
        raise NotFound()
    post = request.POST

    def run(ctx: ChangeContext) -> None:
        if name == "chase":
            services.chase(ctx, ticket, _text(post.get("note"), "note"))
        elif name == "stage_reply":
            services.stage_reply(ctx, ticket, _text(post.get("text"), "text"))
        elif name == "stage_notice":
            services.stage_notice(ctx, ticket, _text(post.get("text"), "text"))
        elif name == "deferral":
            reason = _text(post.get("reason"), "reason")
            until = _until(post.get("until"))
            shown = _shown_revision(post.get("revision"))
            services.request_deferral(ctx, ticket, until, reason, revision=shown)
        elif name == "cancel":
            reason = _text(post.get("reason"), "reason")
            services.cancel(ctx, ticket, reason, revision=_shown_revision(post.get("revision")))
        elif name == "reopen":
            reason = _text(post.get("reason"), "reason")
            services.reopen(ctx, ticket, reason, revision=_shown_revision(post.get("revision")))

    return _carry_out(request, ticket, run)
