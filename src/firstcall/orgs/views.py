from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from firstcall.core.audit import ChangeContext
from firstcall.core.forms import FormWrite
from firstcall.core.scope import has_permission_at, require_permission
from firstcall.orgs import queries, services
from firstcall.orgs.forms import UnitCreateForm, UnitEditForm, UnitFilterForm
from firstcall.orgs.models import OrgUnit


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, "orgs.view_orgunit")
    units = queries.visible_units(request.user)
    filters = UnitFilterForm(request.GET).values()
    q, level, kind = (filters.get(name, "") for name in ("q", "level", "kind"))
    if q:
        units = units.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if level:
        units = units.filter(level=level)
    if kind:
        units = units.filter(kind=kind)
    page = Paginator(units, 100).get_page(filters.get("page"))
    context = {
        "page": page,
        "q": q,
        "level": level,
        "kind": kind,
        "levels": OrgUnit.Level.choices,
        "kinds": OrgUnit.Kind.choices,
    }
    template = "orgs/unit_list.html#rows" if request.htmx else "orgs/unit_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, "orgs.view_orgunit")
    unit = queries.get_unit(request.user, pk)
    children = queries.visible_units(request.user).filter(parent=unit)
    context = {
        "unit": unit,
        "trail": queries.ancestors(unit),
        "children": children,
        "can_change": has_permission_at(request.user, "orgs.change_orgunit", unit.path),
        "can_add": has_permission_at(request.user, "orgs.add_orgunit", unit.path),
    }
    return render(request, "orgs/unit_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, "orgs.change_orgunit")
    unit = queries.get_unit(request.user, pk, "change")
    form = UnitEditForm(request.POST or None, initial={"name": unit.name, "kind": unit.kind})
    if request.method == "POST" and form.is_valid():
        write = FormWrite(form)
        updated = write.run(
            lambda: services.update_unit(
                ChangeContext.from_request(request, reason=form.cleaned_data["reason"]),
                unit,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
            )
        )
        if updated is not None:
            if request.htmx:  # type: ignore[attr-defined]
                return render(
                    request, "orgs/unit_detail.html#summary", {"unit": unit, "can_change": True}
                )
            return redirect("orgs:unit_detail", pk=unit.pk)
    status = 422 if form.errors else 200
    return render(request, "orgs/unit_edit.html", {"unit": unit, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, "orgs.add_orgunit")
    parent = queries.get_unit(request.user, pk, "add")
    form = UnitCreateForm(request.POST or None, initial={"level": OrgUnit.Level.DEPARTMENT})
    if request.method == "POST" and form.is_valid():
        unit = FormWrite(form).run(
            lambda: services.create_unit(
                ChangeContext.from_request(request), parent=parent, **form.cleaned_data
            )
        )
        if unit is not None:
            return redirect("orgs:unit_detail", pk=unit.pk)
    status = 422 if form.errors else 200
    return render(request, "orgs/unit_create.html", {"parent": parent, "form": form}, status=status)
