from django import forms
from django.utils.translation import gettext_lazy as _

from firstcall.orgs.models import OrgUnit


class UnitEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgUnit.Kind.choices)


class UnitCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.CharField(label=_("Code"), max_length=40)
    level = forms.ChoiceField(label=_("Level"), choices=OrgUnit.Level.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgUnit.Kind.choices)
