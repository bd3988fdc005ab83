from typing import Any

from django import template
from django.utils.translation import gettext as _

from firstcall.customers.display import ERRORS, FIELD_LABELS, OPERATIONS, SYSTEM_LABELS

register = template.Library()


@register.filter
def shown(value: Any) -> Any:
    """A platform value as an agent reads it: yes/no for flags, a dash for nothing."""
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if value is None or value == "":
        return "—"
    return value


@register.filter
def field_label(field: str) -> Any:
    return FIELD_LABELS.get(field, field)


@register.filter
def system_label(system: str) -> Any:
    return SYSTEM_LABELS.get(system, system)


@register.filter
def operation_label(operation: str) -> Any:
    return OPERATIONS.get(operation, operation)


@register.filter
def error_label(code: str) -> Any:
    """What a back end's failure code means, after the system's name ("HLR cannot be reached")."""
    return ERRORS.get(code, _("could not be read"))


@register.filter
def field_labels(fields: list[str]) -> str:
    # Translators: the separator between field names in a list.
    return _(", ").join(str(FIELD_LABELS.get(f, f)) for f in fields)
