from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from firstcall.core.scope import require_permission
from firstcall.taxonomy import queries

WORKBENCH = "accounts.use_agent_workbench"
PICKER_LIMIT = 20


@login_required
@require_GET
def phenomenon_picker(request: HttpRequest) -> HttpResponse:
    """The picker's result list; the picker's text input sends its value as `phenomenon_q`."""
    require_permission(request.user, WORKBENCH)
    q = request.GET.get("q", request.GET.get("phenomenon_q", "")).strip()
    context = {"q": q, "results": queries.search_phenomena(q, limit=PICKER_LIMIT)}
    return render(request, "taxonomy/partials/picker_results.html", context)


@login_required
@require_GET
def phenomenon_browser(request: HttpRequest) -> HttpResponse:
    """The whole tree to read through, and the picker to look one phenomenon up."""
    require_permission(request.user, WORKBENCH)
    context = {
        "phenomenon": queries.get_phenomenon(request.GET.get("phenomenon", "")),
        "scenarios": queries.active_tree(),
    }
    return render(request, "taxonomy/phenomenon_browser.html", context)
