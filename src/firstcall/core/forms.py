"""Form pieces every screen uses: text fields that carry their column's length and refuse
characters no database keeps, id and bounded-number fields for list filters, a filter form that
drops what does not parse, and service errors shown on the form."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from firstcall.core.errors import Conflict, ValidationFailed
from firstcall.core.inputs import MAX_ID, MAX_PAGE, has_forbidden_characters


def refuse_forbidden_characters(value: Any) -> None:
    if isinstance(value, str) and has_forbidden_characters(value):
        raise ValidationError(
            _("This value contains characters that are not allowed."), code="forbidden"
        )


class TextField(forms.CharField):
    """A stripped CharField refusing NUL and broken characters (Django refuses NUL alone)."""

    default_validators = [refuse_forbidden_characters]


def model_text_field(model: type[models.Model], name: str, **kwargs: Any) -> TextField:
    """A form field for a model's text column: its label, whether it may be blank and, above
    all, its max_length, so an over-long value is a field error on SQLite as on PostgreSQL."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.CharField | models.TextField), name
    kwargs.setdefault("label", field.verbose_name)
    kwargs.setdefault("required", not field.blank)
    if field.max_length is not None:
        kwargs.setdefault("max_length", field.max_length)
    return TextField(**kwargs)


class IdField(forms.IntegerField):
    """A database id: ASCII digits only, 1 to the largest primary key."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.strip()
            if value and not (value.isascii() and value.isdigit()):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        result: int | None = super().to_python(value)
        return result


class FilterForm(forms.Form):
    """A list's filters read from the query string. Every field is optional and a value that does
    not parse is left out (its message stays in `errors`), so a hostile filter narrows nothing
    and breaks nothing. `page` is bounded for every list."""

    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data if data is not None else {}, **kwargs)
        for field in self.fields.values():
            field.required = False
            if isinstance(field, forms.CharField):
                field.validators.append(refuse_forbidden_characters)

    def values(self) -> dict[str, Any]:
        """The filters that parsed and are set; one query string, one answer."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}


class FormWrite:
    """A service write made from a form: `FormWrite(form).run(lambda: services.x(...))` returns
    the result, or None with the service's refusal shown on the form (on its field, or above the
    form). The write runs in a savepoint, so a refusal undoes whatever it had begun while the
    request's transaction stays usable to render the form again (its choices are read from the
    database). `status` is the answer's status: 200, the refusal's 409/422, or 422 for field
    errors."""

    def __init__(self, form: forms.Form) -> None:
        self.form = form
        self.refusal_status = 0

    def run[T](self, write: Callable[[], T]) -> T | None:
        try:
            with transaction.atomic():
                return write()
        except (ValidationFailed, Conflict) as exc:
            for field, messages in exc.errors.items():
                for message in messages:
                    self.form.add_error(field if field in self.form.fields else None, message)
            if not exc.errors:
                self.form.add_error(None, exc.detail)
            self.refusal_status = exc.status
            return None

    @property
    def status(self) -> int:
        if self.refusal_status:
            return self.refusal_status
        return 422 if self.form.errors else 200
