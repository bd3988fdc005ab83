from django import forms

from firstcall.core.errors import ValidationFailed


def add_domain_errors(form: forms.Form, error: ValidationFailed) -> None:
    """Show a service's validation errors on the form: on their field, or above the form."""
    for field, messages in error.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
    if not error.errors:
        form.add_error(None, error.detail)
