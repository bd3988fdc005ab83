"""The step forms of the back office, as data: each BPMN user task names a field set (`form`),
and an action carries that set's answers into the process data, where the gateways read them by
their codes (`is_fault == "yes"`). `clean` turns what was typed into JSON-safe values and field
errors; it never raises. Which units a chosen id may be is checked by the services, which know
the ticket and the actor."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from firstcall.sla.models import TIMEOUT_REASONS

TEXT_LIMIT = 200
LONG_TEXT_LIMIT = 2000
YES_NO: list[tuple[str, str | Promise]] = [("yes", _("Yes")), ("no", _("No"))]
AREA_TYPES: list[tuple[str, str | Promise]] = [
    ("urban", _("Urban")),
    ("rural", _("Rural")),
    ("indoor", _("Indoor")),
    ("traffic_artery", _("Traffic artery")),
]
SATISFACTION: list[tuple[str, str | Promise]] = [
    ("satisfied", _("Satisfied")),
    ("fairly_satisfied", _("Fairly satisfied")),
    ("not_satisfied", _("Not satisfied")),
]


@dataclass(frozen=True)
class Field:
    code: str
    label: str | Promise
    # text | long_text | yes_no | choice | date | datetime | units (a list of org unit ids)
    kind: str
    required: bool = False
    choices: tuple[tuple[str, str | Promise], ...] = ()
    # Required only when another field has this value: ("alarm_found", "yes").
    required_when: tuple[str, str] | None = None


def _yes_no(code: str, label: str | Promise, **kw: Any) -> Field:
    return Field(code, label, "yes_no", choices=tuple(YES_NO), **kw)


REASON = [Field("reason", _("Reason"), "long_text", required=True)]
NOTE = [Field("note", _("Note"), "long_text")]

FIELDS: dict[str, list[Field]] = {
    "accept": NOTE,
    "dispatch": [
        _yes_no("is_fault", _("Is it a fault?"), required=True),
        _yes_no("is_coverage", _("Is it a coverage problem?"), required=True),
        Field("targets", _("Dispatch to"), "units"),
        *NOTE,
    ],
    # A dispatch that names the units only (complaints across provinces, fault tickets).
    "dispatch_units": [Field("targets", _("Dispatch to"), "units", required=True), *NOTE],
    "feedback": [
        _yes_no("alarm_found", _("Alarm found")),
        Field(
            "alarm_detail", _("Alarm details"), "long_text", required_when=("alarm_found", "yes")
        ),
        Field("cell_ci", _("Main serving cell CI"), "text"),
        Field("cell_name", _("Main serving cell name"), "text"),
        Field("area_type", _("Area type"), "choice", choices=tuple(AREA_TYPES)),
        _yes_no("planned_fix", _("Planned fix")),
        Field("planned_date", _("Planned fix date"), "date", required_when=("planned_fix", "yes")),
        Field("fault_ticket", _("Fault ticket number"), "text"),
        Field("cause", _("Cause"), "long_text", required=True),
        Field("measures", _("Measures taken"), "long_text", required=True),
        Field("result", _("Result"), "long_text", required=True),
    ],
    "review": [Field("opinion", _("Opinion"), "long_text", required_when=("action", "fail"))],
    "reply": [
        Field("reply", _("Reply to the customer"), "long_text", required=True),
        _yes_no("customer_answered", _("Customer answered"), required=True),
        Field(
            "contact_time",
            _("Contact time"),
            "datetime",
            required_when=("customer_answered", "yes"),
        ),
    ],
    "archive": [
        Field(
            "satisfaction",
            _("Customer satisfaction"),
            "choice",
            required=True,
            choices=tuple(SATISFACTION),
        ),
        Field("closing_note", _("Closing note"), "long_text"),
        Field(
            "timeout_reason",
            _("Timeout reason"),
            "choice",
            choices=tuple(TIMEOUT_REASONS),
            required_when=("overdue", "yes"),
        ),
    ],
    "return": REASON,
    "reject": REASON,
    "deferral": [
        Field("until", _("Defer until"), "datetime", required=True),
        Field("reason", _("Reason"), "long_text", required=True),
    ],
}
# Actions whose answers are their own field set, whatever form the task names.
ACTION_FORMS = {"return": "return", "reject": "reject"}


def form_for(task_form: str, action: str) -> str:
    return ACTION_FORMS.get(action, task_form)


def _clean_one(field: Field, raw: Any) -> tuple[Any, str]:
    """The value and an error ("" when none) of one filled-in field."""
    if field.kind == "units":
        items = raw if isinstance(raw, list | tuple) else str(raw).replace(",", " ").split()
        ids = []
        for one in items:
            text = str(one).strip()
            if not text.isdigit():
                return None, _t("Choose units from the list.")
            ids.append(int(text))
        return sorted(set(ids)), ""
    text = str(raw).strip()
    limit = LONG_TEXT_LIMIT if field.kind == "long_text" else TEXT_LIMIT
    if len(text) > limit:
        return None, _t("At most %(n)s characters.") % {"n": limit}
    if field.choices and text not in {code for code, _label in field.choices}:
        return None, _t("Choose one of the options.")
    if field.kind == "date":
        day = _parse_date(text)
        return (day.isoformat(), "") if day else (None, _t("Enter a date."))
    if field.kind == "datetime":
        moment = _parse_datetime(text)
        return (moment.isoformat(), "") if moment else (None, _t("Enter a date and time."))
    return text, ""


def _parse_date(text: str) -> date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


def _parse_datetime(text: str) -> datetime | None:
    try:
        moment = parse_datetime(text.replace(" ", "T"))
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, list | tuple) and not raw) or str(raw).strip() == ""


def clean(
    form_code: str, raw: dict[str, Any], *, context: dict[str, str] | None = None
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The answers of a field set (only its own fields) and the field errors. `context` holds
    what a conditional requirement may read besides the answers (`action`, `overdue`)."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    fields = FIELDS.get(form_code, [])
    for field in fields:
        value = raw.get(field.code)
        if _blank(value):
            continue
        cleaned, error = _clean_one(field, value)
        if error:
            errors[field.code] = [error]
        else:
            values[field.code] = cleaned
    known = {**(context or {}), **{k: v for k, v in values.items() if isinstance(v, str)}}
    for field in fields:
        if field.code in values or field.code in errors:
            continue
        needed = field.required or (
            field.required_when is not None
            and known.get(field.required_when[0]) == field.required_when[1]
        )
        if needed:
            errors[field.code] = [_t("This field is required.")]
    return values, errors
