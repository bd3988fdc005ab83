from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from firstcall.core import outbox
from firstcall.core import queries_background as background
from firstcall.core.audit import ChangeContext
from firstcall.core.errors import NotFound
from firstcall.core.models import ObjectChange, OutboxMessage
from firstcall.core.queries import visible_changes
from firstcall.core.scope import require_everywhere, require_permission


@login_required
def change_list(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, "core.view_objectchange")
    changes = visible_changes(request.user)
    source = request.GET.get("source", "")
    actor = request.GET.get("actor", "").strip()
    object_type = request.GET.get("type", "").strip()
    if source in ObjectChange.Source.values:
        changes = changes.filter(source=source)
    if actor:
        changes = changes.filter(actor_label__icontains=actor)
    if object_type:
        changes = changes.filter(content_type__model=object_type.lower())
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "source": source,
        "actor": actor,
        "object_type": object_type,
        "sources": ObjectChange.Source.choices,
    }
    template = "core/change_list.html#rows" if request.htmx else "core/change_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, "core.view_objectchange")
    change = visible_changes(request.user).filter(pk=pk).first()
    if change is None:
        raise NotFound(code="change_not_found")
    keys = sorted(set(change.before or {}) | set(change.after or {}))
    rows = [
        {
            "field": key,
            "before": (change.before or {}).get(key),
            "after": (change.after or {}).get(key),
            "changed": (change.before or {}).get(key) != (change.after or {}).get(key),
        }
        for key in keys
    ]
    return render(request, "core/change_detail.html", {"change": change, "rows": rows})


@login_required
def background_work(request: HttpRequest) -> HttpResponse:
    """The worker's page (headquarters' administrators): outbox messages by state with their
    attempts and errors, dead ones to retry; timers due soon; the scheduled jobs."""
    require_everywhere(request.user, "core.view_outboxmessage")
    state = request.GET.get("state", "")
    if state not in OutboxMessage.State.values:
        state = OutboxMessage.State.DEAD
    raw = request.GET.get("before", "")
    before = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None
    rows = background.messages(state, before)
    context = {
        "state": state,
        "states": OutboxMessage.State.choices,
        "counts": background.waiting_counts(),
        "outbox_rows": rows,
        "next_before": rows[-1].pk if len(rows) == background.PAGE else None,
        "timers": background.timers_due_soon(),
        "jobs": background.scheduled_jobs(),
        "can_retry": request.user.has_perm("core.change_outboxmessage"),
    }
    return render(request, "core/background.html", context)


@login_required
@require_POST
def outbox_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Retry a dead message now: a fresh set of attempts (audited)."""
    require_everywhere(request.user, "core.change_outboxmessage")
    message = OutboxMessage.objects.filter(pk=pk).first()
    if message is None:
        raise NotFound(code="outbox_message_not_found")
    ctx = ChangeContext.from_request(request, reason="retry a dead outbox message")
    outbox.retry_now(ctx, message)
    return redirect(f"{reverse('core:background')}?state=pending")
