"""The back office's lists: 待办 (to-do), 已办 (done) and 工单查询 (condition search) with its
export to Excel."""

from datetime import datetime, time, timedelta
from io import BytesIO
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from firstcall.core import clock
from firstcall.core.masking import mask_key
from firstcall.core.scope import require_permission
from firstcall.tickets.models import Ticket, TicketEvent
from firstcall.workflows import queries
from firstcall.workflows.models import Process

EXPORT_CAP = 10_000
PRIORITIES = dict(Ticket.Priority.choices)
EVENT_LABELS = dict(TicketEvent.Action.choices)
ACTION_LABELS = {
    "accept": _("Accept the ticket"),
    "dispatch": _("Dispatch"),
    "redispatch": _("Dispatch again"),
    "feedback": _("Send the feedback"),
    "handled": _("Handled"),
    "return": _("Return to the sender"),
    "reject": _("Reject to the level above"),
    "pass": _("Quality check passed"),
    "fail": _("Quality check failed"),
    "reply": _("Reply"),
    "archive": _("Archive"),
    "close": _("Close"),
    "approve": _("Approve"),
    "refuse": _("Refuse"),
}
# On a review of a handler's feedback (not the quality check before archiving), pass and fail
# say what they do to the feedback.
REVIEW_LABELS = {"pass": _("Approve the feedback"), "fail": _("Send the feedback back")}
QUALITY_STEPS = {"quality"}


def time_left(due: datetime | None, now: datetime) -> tuple[str, bool]:
    """How long until the due time, in words ("2 h 5 min"), and whether it has passed."""
    if due is None:
        return "", False
    overdue = due <= now
    span = abs(due - now)
    days, rest = divmod(int(span.total_seconds()) // 60, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        text = gettext("%(d)d d %(h)d h") % {"d": days, "h": hours}
    elif hours:
        text = gettext("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    else:
        text = gettext("%(m)d min") % {"m": minutes}
    return (gettext("%(span)s overdue") % {"span": text} if overdue else text), overdue


def _decorate_ticket(ticket: Ticket) -> None:
    ticket.masked_number = mask_key(ticket.service_number) if ticket.service_number else ""  # type: ignore[attr-defined]
    ticket.priority_label = PRIORITIES.get(ticket.priority, "")  # type: ignore[attr-defined]


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, queries.USE_BACK_OFFICE)
    now = clock.now()
    items = queries.todo(request.user, after=request.GET.get("after"), limit=queries.PAGE + 1)
    more = len(items) > queries.PAGE
    items = items[: queries.PAGE]
    for item in items:
        _decorate_ticket(item.ticket)
        item.left, item.overdue = time_left(item.due_at, now)  # type: ignore[attr-defined]
        item.priority = item.priority or item.ticket.priority
        item.priority_label = PRIORITIES.get(item.priority, "")  # type: ignore[attr-defined]
        item.claimable = queries.may_claim(request.user, item)  # type: ignore[attr-defined]
        item.step_label = queries.step_label(item)  # type: ignore[attr-defined]
    context = {
        "items": items,
        "next_cursor": queries.cursor_of(items[-1].due_at, items[-1].pk) if more else "",
        "first_page": not request.GET.get("after"),
    }
    return render(request, "workflows/todo.html", context)


@login_required
def done(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, queries.USE_BACK_OFFICE)
    rows = queries.done(request.user, after=request.GET.get("after"), limit=queries.PAGE + 1)
    more = len(rows) > queries.PAGE
    rows = rows[: queries.PAGE]
    for row in rows:
        _decorate_ticket(row.ticket)
        row.extra["label"] = (
            EVENT_LABELS.get(row.what, "") if row.kind == "event" else action_label(row.what)
        )
    context = {
        "rows": rows,
        "next_cursor": rows[-1].cursor if more else "",
        "first_page": not request.GET.get("after"),
    }
    return render(request, "workflows/done.html", context)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, _("Completed")))


# --- the condition search ----------------------------------------------------------------------

YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


class SearchForm(forms.Form):
    number = forms.CharField(label=_("Service number"), max_length=40, required=False)
    code = forms.CharField(label=_("Ticket number"), max_length=32, required=False)
    css_serial = forms.CharField(label=_("CSS serial number"), max_length=64, required=False)
    opened_from = forms.DateField(label=_("Opened from"), required=False)
    opened_to = forms.DateField(label=_("Opened until"), required=False)
    process = forms.ChoiceField(label=_("Process"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    step = forms.CharField(label=_("Current step"), max_length=200, required=False)
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", "—"), *Ticket.Source.choices], required=False
    )
    complaint_type = forms.CharField(label=_("Complaint type"), max_length=40, required=False)
    unit = forms.TypedChoiceField(label=_("Org unit"), required=False, coerce=int, empty_value=None)
    overdue = forms.ChoiceField(label=_("Overdue"), choices=YES_NO, required=False)
    repeat = forms.ChoiceField(label=_("Repeat complaint"), choices=YES_NO, required=False)
    priority = forms.ChoiceField(label=_("Priority"), required=False)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every: list[tuple[Any, Any]] = [("", _("Any"))]
        processes = Process.objects.order_by("code")
        self._choose("process", every + [(p.code, p.name()) for p in processes])
        back_office = [s for s in Ticket.Status if s not in _FRONT_STATUSES]
        self._choose("status", every + [(s.value, s.label) for s in back_office])
        self._choose("priority", every + list(Ticket.Priority.choices))
        self.units = queries.units_in_reach(user)
        self._choose("unit", every + [(pk, name) for pk, name, _path in self.units])

    def _choose(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def filters(self) -> queries.Filters:
        data = self.cleaned_data
        unit_path = next((p for pk, _n, p in self.units if pk == data.get("unit")), "")

        def yes_no(value: str) -> bool | None:
            return {"yes": True, "no": False}.get(value)

        def day(value: Any, plus: int = 0) -> datetime | None:
            if value is None:
                return None
            moment = datetime.combine(value + timedelta(days=plus), time.min)
            return timezone.make_aware(moment)

        return queries.Filters(
            number=data.get("number", "").strip(),
            code=data.get("code", "").strip(),
            css_serial=data.get("css_serial", "").strip(),
            opened_from=day(data.get("opened_from")),
            opened_to=day(data.get("opened_to"), 1),
            process=data.get("process", ""),
            status=data.get("status", ""),
            step=data.get("step", "").strip(),
            source=data.get("source", "").strip(),
            complaint_type=data.get("complaint_type", "").strip(),
            unit_path=unit_path,
            overdue=yes_no(data.get("overdue", "")),
            repeat=yes_no(data.get("repeat", "")),
            priority=data.get("priority", ""),
        )


_FRONT_STATUSES = {
    Ticket.Status.OPEN,
    Ticket.Status.HELD,
    Ticket.Status.RESOLVED,
    Ticket.Status.CONVERTED,
    Ticket.Status.TRANSFERRED,
}


def _search_form(request: HttpRequest) -> SearchForm:
    data = request.GET.copy()
    data.pop("after", None)
    return SearchForm(request.user, data)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, queries.USE_BACK_OFFICE)
    form = _search_form(request)
    tickets: list[Ticket] = []
    more = False
    status = 200
    if form.is_valid():
        page = list(
            queries.search(
                request.user,
                form.filters(),
                after=request.GET.get("after"),
                limit=queries.PAGE + 1,
            )
        )
        more = len(page) > queries.PAGE
        tickets = page[: queries.PAGE]
        for ticket in tickets:
            _decorate_ticket(ticket)
    else:
        status = 422
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "form": form,
        "tickets": tickets,
        "query": query.urlencode(),
        "next_cursor": (
            queries.cursor_of(tickets[-1].opened_at, tickets[-1].pk) if more and tickets else ""
        ),
        "first_page": not request.GET.get("after"),
        "export_cap": EXPORT_CAP,
    }
    return render(request, "workflows/search.html", context, status=status)


EXPORT_COLUMNS = [
    (_("Ticket number"), lambda t: t.code),
    (_("Kind"), lambda t: t.get_kind_display()),
    (_("Process"), lambda t: _process_name(t)),
    (_("Status"), lambda t: t.get_status_display()),
    (_("Current step"), lambda t: t.current_step),
    (_("Priority"), lambda t: PRIORITIES.get(t.priority, "")),
    (_("Service number"), lambda t: mask_key(t.service_number) if t.service_number else ""),
    (_("CSS serial number"), lambda t: t.css_serial),
    (_("Source"), lambda t: t.get_source_display()),
    (_("Complaint type"), lambda t: t.complaint_type or t.phenomenon),
    (_("Org unit"), lambda t: t.unit.name),
    (_("Opened"), lambda t: timezone.localtime(t.opened_at).strftime("%Y-%m-%d %H:%M")),
    (
        _("Due"),
        lambda t: timezone.localtime(t.due_at).strftime("%Y-%m-%d %H:%M") if t.due_at else "",
    ),
    (_("Overdue"), lambda t: gettext("Yes") if t.overdue else gettext("No")),
    (_("Repeat complaints in 30 days"), lambda t: t.repeat_count),
]


def _process_name(ticket: Ticket) -> str:
    instance = getattr(ticket, "process_instance", None)
    return instance.version.process.name() if instance is not None else ""


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The search's results as an xlsx workbook: the same filters and scope, at most
    EXPORT_CAP rows (the newest), numbers masked as on the screen."""
    from openpyxl import Workbook

    require_permission(request.user, queries.USE_BACK_OFFICE)
    form = _search_form(request)
    if not form.is_valid():
        return search(request)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(gettext("Tickets"))
    sheet.append([str(title) for title, _value in EXPORT_COLUMNS])
    rows = queries.search(request.user, form.filters(), limit=EXPORT_CAP)
    for ticket in rows.iterator(chunk_size=1000):
        sheet.append([_cell(value(ticket)) for _title, value in EXPORT_COLUMNS])
    out = BytesIO()
    book.save(out)
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="tickets-{stamp}.xlsx"'
    return response


def _cell(value: Any) -> Any:
    """A value as a cell: text that a spreadsheet would read as a formula is kept as text."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
