"""Reading raw request input: characters no field may hold, ids, bounded integers, dates and
pagination. The input guard, the forms, the list filters and the API share these, so a hostile
value becomes a 400 or a field error, never a database error."""

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from firstcall.core.errors import ValidationFailed

# NUL cannot be stored by PostgreSQL; a lone surrogate cannot be encoded as UTF-8.
_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")

MAX_ID = 2**63 - 1  # the largest value of a BigAutoField on either database
MAX_OFFSET = 10**9  # further than any list a person or a client pages through
MAX_PAGE = 10**6
API_MAX_LIMIT = 200


def has_forbidden_characters(value: str) -> bool:
    return _FORBIDDEN.search(value) is not None


def find_forbidden(data: Any) -> bool:
    """Whether any key or string anywhere in a parsed JSON document holds a forbidden character.
    Iterative, so a deeply nested body cannot exhaust the stack."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if has_forbidden_characters(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def querydict_has_forbidden(items: Iterable[tuple[str, list[str]]]) -> bool:
    """`QueryDict.lists()` of a query string or a form body."""
    for key, values in items:
        if has_forbidden_characters(key) or any(has_forbidden_characters(v) for v in values):
            return True
    return False


def parse_id(raw: str | None) -> int | None:
    """A database id typed into a filter: ASCII digits only ("²" and "٣" are not ids), within the
    range of a primary key; anything else is None."""
    text = (raw or "").strip()
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def parse_int(raw: str | None, *, minimum: int, maximum: int, default: int) -> int:
    """A bounded integer from a query parameter; the default when it is missing or malformed,
    and clamped into [minimum, maximum] when it is out of range."""
    text = (raw or "").strip()
    sign = text[:1] if text[:1] in "+-" else ""
    digits = text[len(sign) :]
    if not digits or len(digits) > 19 or not (digits.isascii() and digits.isdigit()):
        return default
    value = -int(digits) if sign == "-" else int(digits)
    return max(minimum, min(value, maximum))


def parse_date(raw: str | None) -> date | None:
    """An ISO date (YYYY-MM-DD) that exists; None for 2031-02-30 or anything malformed."""
    text = (raw or "").strip()
    if len(text) != 10 or not text.isascii():
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_choice(raw: str | None, choices: Iterable[str]) -> str:
    """The value when it is one of the choices, otherwise empty (no filter)."""
    value = (raw or "").strip()
    return value if value in set(choices) else ""


def parse_page(raw: str | None) -> int:
    return parse_int(raw, minimum=1, maximum=MAX_PAGE, default=1)


def check_stored_values(instance: models.Model, update_fields: Iterable[str] | None = None) -> None:
    """Refuse a text the database would refuse or silently keep: longer than its column (SQLite
    stores it, PostgreSQL raises) or holding a NUL. Forms and services speak first with their own
    messages; this keeps every other write path the same on both databases (a 422, never a 500)."""
    wanted = set(update_fields) if update_fields is not None else None
    errors: dict[str, list[str]] = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        if wanted is not None and field.name not in wanted and field.attname not in wanted:
            continue
        value = getattr(instance, field.attname, None)
        if not isinstance(value, str):
            continue
        limit = field.max_length if isinstance(field, models.CharField) else None
        if has_forbidden_characters(value):
            errors[field.name] = [_("This value contains characters that are not allowed.")]
        elif limit is not None and len(value) > limit:
            errors[field.name] = [
                _("At most %(limit)d characters (this has %(length)d).")
                % {"limit": limit, "length": len(value)}
            ]
    if errors:
        raise ValidationFailed(errors=errors)


def check_before_save(
    sender: type[models.Model],
    instance: models.Model,
    raw: bool = False,
    update_fields: Iterable[str] | None = None,
    **kwargs: Any,
) -> None:
    """`pre_save` receiver for FirstCall's own models (see CoreConfig.ready)."""
    if raw or not sender.__module__.startswith("firstcall."):
        return
    check_stored_values(instance, update_fields)
