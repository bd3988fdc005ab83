from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from firstcall.accounts.models import FlowRole, FunctionRole
from firstcall.orgs.models import OrgUnit


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("The username or password is not correct."),
        "inactive": _("This account is inactive."),
    }


# Django's own blank choice ("- Select an option -") has no Chinese translation yet.
CHOOSE = _("Please choose")


class UnitChoiceField(forms.ModelChoiceField):
    """Org units indented by their depth in the tree."""

    def label_from_instance(self, obj: Any) -> str:
        return "\u3000" * max(obj.depth - 1, 0) + obj.name


class MembershipFields(forms.Form):
    """A unit, a function role and optionally a flow role, offered from what the admin may give."""

    unit = UnitChoiceField(label=_("Org unit"), queryset=OrgUnit.objects.none(), empty_label=CHOOSE)
    role = forms.ModelChoiceField(
        label=_("Function role"), queryset=FunctionRole.objects.none(), empty_label=CHOOSE
    )
    flow_role = forms.ModelChoiceField(
        label=_("Flow role"),
        queryset=FlowRole.objects.none(),
        required=False,
        empty_label=_("None"),
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit],
        roles: list[FunctionRole],
        flow_roles: QuerySet[FlowRole],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["role"].queryset = FunctionRole.objects.filter(  # type: ignore[attr-defined]
            pk__in=[r.pk for r in roles]
        )
        self.fields["flow_role"].queryset = flow_roles  # type: ignore[attr-defined]


class UserCreateForm(MembershipFields):
    username = forms.CharField(
        label=_("Username"), max_length=150, validators=[UnicodeUsernameValidator()]
    )
    name = forms.CharField(label=_("Full name"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = ["username", "name", "email", "password", "unit", "role", "flow_role"]


class UserEditForm(forms.Form):
    """Name, email and a new password. There is deliberately no superuser or staff field."""

    name = forms.CharField(label=_("Full name"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the current password."),
    )


class PermissionsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class RoleForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"),
        max_length=40,
        regex=r"^[-a-zA-Z0-9_]+$",
        error_messages={"invalid": _("Use letters, digits, - and _ only.")},
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea
    )
    permissions = PermissionsField(label=_("Permissions"), required=False)

    def __init__(self, *args: Any, choices: list[Any], editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["permissions"].choices = choices  # type: ignore[attr-defined]
        if editing:
            del self.fields["code"]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    unit = UnitChoiceField(label=_("Org unit"), queryset=OrgUnit.objects.none(), empty_label=CHOOSE)
    permissions = PermissionsField(label=_("Permissions"))
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("Leave empty for a token that does not expire."),
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], choices: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["permissions"].choices = choices  # type: ignore[attr-defined]
