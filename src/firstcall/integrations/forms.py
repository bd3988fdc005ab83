from django import forms
from django.utils.translation import gettext_lazy as _


class SystemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    base_url = forms.URLField(label=_("Base URL"), max_length=300)
    api_key = forms.CharField(
        label=_("API key"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the stored key."),
    )
    timeout_ms = forms.IntegerField(label=_("Timeout (ms)"), min_value=10, max_value=60000)
    retries = forms.IntegerField(label=_("Retries of idempotent reads"), min_value=0, max_value=5)
    failure_threshold = forms.IntegerField(
        label=_("Failures that open the breaker"), min_value=1, max_value=100
    )
    open_seconds = forms.IntegerField(
        label=_("Seconds the breaker stays open"), min_value=1, max_value=3600
    )
    enabled = forms.BooleanField(label=_("Enabled"), required=False)
