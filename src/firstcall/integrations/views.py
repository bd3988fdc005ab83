import asyncio

from asgiref.sync import sync_to_async
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from firstcall.core.audit import ChangeContext
from firstcall.core.forms import FormWrite
from firstcall.core.scope import holds_everywhere, require_everywhere, require_permission
from firstcall.integrations import queries, registry, services
from firstcall.integrations.forms import SystemForm
from firstcall.integrations.models import BackendSystem, CallLog

VIEW = "integrations.view_backendsystem"
CHANGE = "integrations.change_backendsystem"

BREAKER_STATES = {
    "closed": _("Closed (calls pass)"),
    "open": _("Open (calls refused)"),
    "half_open": _("Half-open (one probe)"),
}
PROBE_ERRORS = {
    "timeout": _("did not answer in time"),
    "unavailable": _("cannot be reached"),
    "http_5xx": _("answered with a server error"),
    "http_4xx": _("refused the request"),
    "malformed": _("answered outside its contract"),
    "rejected": _("is paused after repeated failures"),
    "disabled": _("is switched off in the registry"),
    "not_found": _("has no record"),
    "refused": _("refused the command"),
}


@login_required
def system_list(request: HttpRequest) -> HttpResponse:
    """Every holder of the view permission sees the systems' health; only headquarters sees
    their addresses and may change them (they serve every province)."""
    require_permission(request.user, VIEW)
    breakers = registry.breaker_states()
    context = {
        "systems": queries.systems(),
        "summary": queries.health_summary(),
        "breakers": {name: BREAKER_STATES.get(state, state) for name, state in breakers.items()},
        "breaker_codes": breakers,
        "can_change": holds_everywhere(request.user, CHANGE),
        "can_view_calls": holds_everywhere(request.user, "integrations.view_calllog"),
    }
    return render(request, "integrations/system_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def system_edit(request: HttpRequest, name: str) -> HttpResponse:
    require_everywhere(request.user, CHANGE)
    system = get_object_or_404(BackendSystem, name=name)
    initial = {f: getattr(system, f) for f in services.EDITABLE}
    form = SystemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        api_key = data.pop("api_key")
        credentials = {**system.credentials, "api_key": api_key} if api_key else None
        updated = FormWrite(form).run(
            lambda: services.update_system(
                ChangeContext.from_request(request), system, credentials=credentials, **data
            )
        )
        if updated is not None:
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
    await sync_to_async(require_permission)(user, VIEW)
    names = list((await registry.configs()).keys())
    log = registry.CallLogBuffer(request_id=getattr(request, "id", ""))
    results = await asyncio.gather(*(registry.call(name, "health", log=log) for name in names))
    await log.flush()
    titles = {
        name: title async for name, title in BackendSystem.objects.values_list("name", "title")
    }
    rows = [
        {
            "title": titles.get(r.system) or r.system,
            "ok": r.ok,
            "latency_ms": r.latency_ms,
            "problem": PROBE_ERRORS.get(r.error.code, _("failed")) if r.error else "",
        }
        for r in results
    ]
    return render(request, "integrations/partials/probe.html", {"results": rows})
