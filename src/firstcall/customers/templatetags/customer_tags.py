from typing import Any

from django import template
from django.utils.translation import gettext as _

from firstcall.customers import display
from firstcall.customers.display import (
    COMMANDS,
    ERRORS,
    FEATURE_LABELS,
    FIELD_LABELS,
    OPERATIONS,
    SYSTEM_LABELS,
)

register = template.Library()


@register.filter
def shown(value: Any) -> Any:
    """A platform value as an agent reads it (see `display.shown`)."""
    return display.shown(value)


@register.filter
def read_time(fetched_at: Any) -> str:
    """When the data was read: "read 2 minutes ago", "read at 10:42"."""
    return display.read_time(fetched_at)


@register.filter
def feature_label(feature: str) -> Any:
    return FEATURE_LABELS.get(feature, feature)


@register.filter
def command_label(command: str) -> Any:
    """A platform command ("hlr.resync") named in words."""
    return COMMANDS.get(command, command)


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
