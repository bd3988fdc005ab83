"""Bounds on the values expressions are evaluated on: an input typed in the console or given by
the caller (`input_error`), and the facts a flow's checks read from back ends (`facts_error`).
The limits are the expressions' (`rules.expressions`, "Bounds on expressions" in docs/rules.md)."""

import decimal
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from firstcall.rules.expressions import LARGEST, MAX_FACT_TEXT, MAX_ITEMS, MAX_TEXT


def input_error(value: Any, kind: str) -> str:
    """What makes a value unfit as an input of this kind (string, number, boolean, list), or ""."""
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float | decimal.Decimal):
            return _("Not a number.")
        number = decimal.Decimal(value)
        if not number.is_finite():
            return _("Not a finite number.")
        if abs(number) >= LARGEST:
            return _("The number is too large.")
        return ""
    if kind == "list":
        if not isinstance(value, list | tuple):
            return _("Not a list.")
        if len(value) > MAX_ITEMS:
            return _("At most %(limit)s items are allowed.") % {"limit": MAX_ITEMS}
        return next((e for v in value if (e := input_error(v, "string"))), "")
    if kind == "boolean":
        return "" if isinstance(value, bool) else _("Not true or false.")
    if not isinstance(value, str):
        return _("Not a text.")
    if "\x00" in value:
        return _("The text contains a NUL character.")
    if len(value) > MAX_TEXT:
        return _("At most %(limit)s characters are allowed.") % {"limit": MAX_TEXT}
    return ""


def facts_error(values: Mapping[str, Any]) -> str:
    """Facts gathered by code (a flow's checks) are not typed by an admin, but a back end may
    still answer with a huge text: a condition is not evaluated on one (it does not hold)."""
    for name, value in values.items():
        if isinstance(value, str) and len(value) > MAX_FACT_TEXT:
            return _("%(name)s is longer than %(limit)s characters.") % {
                "name": name,
                "limit": MAX_FACT_TEXT,
            }
        if isinstance(value, list | tuple) and len(value) > MAX_ITEMS:
            return _("%(name)s has more than %(limit)s items.") % {"name": name, "limit": MAX_ITEMS}
    return ""
