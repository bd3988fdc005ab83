"""The ticket page's step forms, rendered from the field sets (`workflows.forms.FIELDS`): each
field by its kind, with what was typed and its errors after a refusal; the units a dispatch may
name and those a step may be handed over to."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from firstcall.core.errors import DomainError
from firstcall.orgs.models import OrgUnit
from firstcall.tickets.models import Ticket
from firstcall.workflows import access, forms, queries, units
from firstcall.workflows.models import WorkItem

# The kinds a field may be (workflows.forms.Field.kind); another one renders as text.
KINDS = {"text", "long_text", "yes_no", "choice", "date", "datetime", "units"}
DISPATCH_KINDS = (
    OrgUnit.Kind.OPERATIONS_INTERFACE,
    OrgUnit.Kind.NETWORK_OPTIMISATION,
    OrgUnit.Kind.NETWORK_MAINTENANCE,
    OrgUnit.Kind.FIELD_MAINTENANCE,
    OrgUnit.Kind.COMPLAINT_CENTRE,
    OrgUnit.Kind.BILLING,
)
PATH_STEP = 7


@dataclass
class FormField:
    """One field of a step's form, ready to render."""

    code: str
    label: str
    kind: str
    required: bool
    choices: list[tuple[str, str]] = field(default_factory=list)
    value: Any = ""
    errors: list[str] = field(default_factory=list)


def task_form(item: WorkItem) -> str:
    """The field set the item's task names (none for the supervisor's deferral decision)."""
    if item.task_spec == queries.DEFERRAL_STEP:
        return ""
    return queries.step_properties(item.instance.version, item.task_spec).get("form", "")


def dispatch_units(ticket: Ticket, at: OrgUnit | None = None) -> list[tuple[str, str]]:
    """The units a dispatch may name, by where the dispatching step is (`at`, else the
    ticket's unit): at headquarters, the provinces (a cross-province ticket raised by a
    province is dispatched by headquarters); else the working departments and cities within
    that province (the services check it)."""
    unit = at or ticket.unit
    company = unit.scope_path or unit.path
    if len(company) <= PATH_STEP:  # headquarters
        rows = OrgUnit.objects.filter(is_active=True, level=OrgUnit.Level.PROVINCE)
    else:
        province = company[: 2 * PATH_STEP]
        rows = OrgUnit.objects.filter(is_active=True, path__startswith=province).filter(
            kind__in=DISPATCH_KINDS
        ) | OrgUnit.objects.filter(
            is_active=True, path__startswith=province, level=OrgUnit.Level.CITY
        )
    return [(str(pk), name) for pk, name in rows.order_by("path").values_list("pk", "name")[:300]]


def transfer_units(item: WorkItem) -> list[tuple[str, str]]:
    """Where the step may be handed over to (移交): the same kind of unit in the province."""
    try:
        targets = units.transfer_targets(item.unit)
    except DomainError:
        return []
    return [(str(u.pk), u.name) for u in targets]


def redispatch_units(item: WorkItem, user: Any) -> list[tuple[str, str]]:
    """重派: where the ticket's dispatcher may send a ready handling step instead (another
    department of the province); none when the user is not the ticket's dispatcher."""
    if item.flow_role != "handler" or item.task_spec == queries.DEFERRAL_STEP:
        return []
    if not access.may_work_ticket(user, item.ticket, roles=("dispatcher",)):
        return []
    company = item.unit.scope_path or item.unit.path
    rows = OrgUnit.objects.filter(
        is_active=True,
        level=OrgUnit.Level.DEPARTMENT,
        path__startswith=company[: 2 * PATH_STEP],
        kind__in=DISPATCH_KINDS[1:],
    ).exclude(pk=item.unit_id)
    return [(str(pk), name) for pk, name in rows.order_by("path").values_list("pk", "name")[:300]]


def _choices(raw: Any) -> list[tuple[str, str]]:
    return [(str(code), str(label)) for code, label in raw or ()]


def _value(posted: Any, code: str, kind: str) -> Any:
    if posted is None:
        return [] if kind == "units" else ""
    if kind == "units":
        return [str(v) for v in posted.getlist(code)]
    return str(posted.get(code, ""))


def step_form(
    form_code: str,
    ticket: Ticket,
    posted: Any = None,
    errors: dict[str, list[str]] | None = None,
    at: OrgUnit | None = None,
) -> list[FormField]:
    shown: list[FormField] = []
    for spec in forms.FIELDS.get(form_code, []):
        kind = spec.kind if spec.kind in KINDS else "text"
        choices = _choices(spec.choices)
        if kind == "yes_no" and not choices:
            choices = [("yes", gettext("Yes")), ("no", gettext("No"))]
        if kind == "units":
            choices = dispatch_units(ticket, at)
        shown.append(
            FormField(
                code=spec.code,
                label=str(spec.label),
                kind=kind,
                required=spec.required,
                choices=choices,
                value=_value(posted, spec.code, kind),
                errors=[str(e) for e in (errors or {}).get(spec.code, [])],
            )
        )
    return shown


def note_field(posted: Any = None, errors: dict[str, list[str]] | None = None) -> FormField:
    return FormField(
        "note",
        gettext("Note"),
        "long_text",
        False,
        value=_value(posted, "note", "long_text"),
        errors=[str(e) for e in (errors or {}).get("note", [])],
    )


def answers(item: WorkItem, action: str, post: Any) -> dict[str, Any]:
    """What the action carries from a posted form: its field set's fields only."""
    if item.task_spec == queries.DEFERRAL_STEP:
        return {"note": str(post.get("note", ""))}
    found: dict[str, Any] = {}
    for spec in forms.FIELDS.get(forms.form_for(task_form(item), action), []):
        if spec.kind == "units":
            found[spec.code] = post.getlist(spec.code)
        elif spec.code in post:
            found[spec.code] = post.get(spec.code, "")
    return found


def decorate(
    item: WorkItem,
    ticket: Ticket,
    user: Any,
    labels: dict[str, Any],
    *,
    posted: Any = None,
    errors: dict[str, list[str]] | None = None,
) -> None:
    """Give the item what its card shows: the actions the user may take, split into those
    completing the task's form and those with a field set of their own (return and reject carry
    a reason), each form with what was typed and its errors when it was the refused one."""
    own_form = task_form(item)
    tried = str(posted.get("action", "")) if posted is not None else ""
    actions = [(code, labels.get(code, code)) for code in queries.allowed_actions(user, item)]
    main: list[tuple[str, Any]] = []
    separate: list[tuple[str, Any, list[FormField], bool]] = []
    for code, label in actions:
        form_code = forms.form_for(own_form, code)
        if form_code == own_form:
            main.append((code, label))
        else:
            mine = posted is not None and tried == code
            fields = step_form(
                form_code, ticket, posted if mine else None, errors if mine else None, item.unit
            )
            separate.append((code, label, fields, mine))
    main_posted = posted if posted is not None and tried in {c for c, _l in main} else None
    if item.task_spec == queries.DEFERRAL_STEP:
        fields = [note_field(main_posted, errors if main_posted is not None else None)]
    else:
        fields = step_form(
            own_form, ticket, main_posted, errors if main_posted is not None else None, item.unit
        )
    item.actions = actions  # type: ignore[attr-defined]
    item.main_actions = main  # type: ignore[attr-defined]
    item.own_forms = separate  # type: ignore[attr-defined]
    item.fields = fields  # type: ignore[attr-defined]
    item.claimable = queries.may_claim(user, item)  # type: ignore[attr-defined]
    item.step_label = queries.step_label(item)  # type: ignore[attr-defined]
    item.transfer_units = transfer_units(item) if actions else []  # type: ignore[attr-defined]
    item.redispatch_units = redispatch_units(item, user)  # type: ignore[attr-defined]
