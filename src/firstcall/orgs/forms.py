from django import forms
from django.utils.translation import gettext_lazy as _

from firstcall.core.forms import FilterForm, TextField, model_text_field
from firstcall.orgs.models import OrgUnit


class UnitEditForm(forms.Form):
    name = model_text_field(OrgUnit, "name", label=_("Name"))
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgUnit.Kind.choices)
    reason = TextField(label=_("Reason for the change"), required=False, max_length=200)


class UnitCreateForm(forms.Form):
    name = model_text_field(OrgUnit, "name", label=_("Name"))
    code = model_text_field(OrgUnit, "code", label=_("Code"))
    level = forms.ChoiceField(label=_("Level"), choices=OrgUnit.Level.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgUnit.Kind.choices)


class UnitFilterForm(FilterForm):
    q = TextField(max_length=100)
    level = forms.ChoiceField(choices=OrgUnit.Level.choices)
    kind = forms.ChoiceField(choices=OrgUnit.Kind.choices)
