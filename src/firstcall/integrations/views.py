import asyncio

from asgiref.sync import sync_to_async
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from firstcall.core.audit import ChangeContext
from firstcall.core.errors import ValidationFailed
from firstcall.core.forms import add_domain_errors
from firstcall.core.scope import holds_everywhere, require_everywhere
from firstcall.integrations import queries, registry, services
from firstcall.integrations.forms import SystemForm
from firstcall.integrations.models import BackendSystem, CallLog

VIEW = "integrations.view_backendsystem"


@login_required
def system_list(request: HttpRequest) -> HttpResponse:
    require_everywhere(request.user, VIEW)
    context = {
        "systems": queries.systems(),
        "summary": queries.health_summary(),
        "breakers": registry.breaker_states(),
        "can_change": holds_everywhere(request.user, "integrations.change_backendsystem"),
    }
    return render(request, "integrations/system_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def system_edit(request: HttpRequest, name: str) -> HttpResponse:
    require_everywhere(request.user, "integrations.change_backendsystem")
    system = get_object_or_404(BackendSystem, name=name)
    initial = {f: getattr(system, f) for f in services.EDITABLE}
    form = SystemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        api_key = data.pop("api_key")
        credentials = {**system.credentials, "api_key": api_key} if api_key else None
        try:
            services.update_system(
                ChangeContext.from_request(request), system, credentials=credentials, **data
            )
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            return redirect("integrations:system_list")
    status = 422 if form.errors else 200
    context = {"system": system, "form": form}
    return render(request, "integrations/system_edit.html", context, status=status)


@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    require_everywhere(request.user, "integrations.view_calllog")
    filters = {
        "system": request.GET.get("system", ""),
        "outcome": request.GET.get("outcome", ""),
        "customer": request.GET.get("customer", "").strip(),
        "operation": request.GET.get("operation", "").strip(),
    }
    page = Paginator(queries.call_log(**filters), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "system_names": queries.systems().values_list("name", flat=True),
        "outcomes": CallLog.Outcome.choices,
    }
    template = "integrations/call_list.html#rows" if request.htmx else "integrations/call_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@transaction.non_atomic_requests
async def system_probe(request: HttpRequest) -> HttpResponse:
    """Ask every enabled system for its health at once; the panel shows up or down per system."""
    user = await request.auser()
    if not user.is_authenticated:
        return HttpResponse(status=401)
    await sync_to_async(require_everywhere)(user, VIEW)
    names = list((await registry.configs()).keys())
    log = registry.CallLogBuffer(request_id=getattr(request, "id", ""))
    results = await asyncio.gather(*(registry.call(name, "health", log=log) for name in names))
    await log.flush()
    return render(request, "integrations/partials/probe.html", {"results": results})
