"""The notification list (/sla/notifications/): a user's deadline warnings and breaches, newest
first, and marking them read."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from firstcall.core.audit import ChangeContext
from firstcall.sla import queries, services

PAGE = 100


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    context = {
        "notifications": queries.notifications_for(
            request.user, unread_only=unread_only, limit=PAGE
        ),
        "unread_only": unread_only,
        "unread": queries.unread_count(request.user),
    }
    return render(request, "sla/notification_list.html", context)


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark the notifications named by `id` (one or several) read, or every unread one with
    `all`; ids that are not numbers, not the user's or read already change nothing."""
    ids: list[int] | None = None
    if not request.POST.get("all"):
        ids = [int(v) for v in request.POST.getlist("id") if v.isdigit() and len(v) < 19]
    if ids is None or ids:
        services.mark_read(ChangeContext.from_request(request), request.user, ids)
    url = reverse("sla:notifications")
    return redirect(f"{url}?unread=1" if request.POST.get("unread") == "1" else url)
