"""A service write made from a form: in a savepoint, so that a refusal undoes whatever the write
had begun while the request's transaction stays usable to render the form again with the
refusal on it (the form's choices are read from the database)."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.db import transaction

from firstcall.core.errors import Conflict, ValidationFailed

T = TypeVar("T")


class FormWrite:
    """`FormWrite(form).run(lambda: services.x(...))` -> the result, or None with the refusal
    shown on the form; `status` is the answer's status (200, or the refusal's 409/422)."""

    def __init__(self, form: forms.Form) -> None:
        self.form = form
        self.refusal_status = 0

    def run(self, write: Callable[[], T]) -> T | None:
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
