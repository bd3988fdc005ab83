from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from firstcall.core.forms import FilterForm, TextField
from firstcall.core.scope import require_permission
from firstcall.taxonomy import queries

WORKBENCH = "accounts.use_agent_workbench"
PICKER_LIMIT = 20


class PickerQuery(FilterForm):
    """The picker's text: `q`, or `phenomenon_q` as the picker's input sends it; a text longer
    than any phenomenon's names searches nothing."""

    q = TextField(max_length=100)

    def __init__(self, data: QueryDict) -> None:
        super().__init__({"q": data.get("q", data.get("phenomenon_q", ""))})


@login_required
@require_GET
def phenomenon_picker(request: HttpRequest) -> HttpResponse:
    """The picker's result list; the picker's text input sends its value as `phenomenon_q`."""
    require_permission(request.user, WORKBENCH)
    q = PickerQuery(request.GET).values().get("q", "")
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
