from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from firstcall.core.errors import NotFound
from firstcall.core.models import ObjectChange
from firstcall.core.queries import visible_changes
from firstcall.core.scope import require_permission


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
