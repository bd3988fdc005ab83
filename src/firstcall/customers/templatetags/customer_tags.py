from typing import Any

from django import template
from django.utils.translation import gettext as _

from firstcall.customers.display import FIELD_LABELS

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
