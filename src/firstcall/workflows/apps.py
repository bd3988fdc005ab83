from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "firstcall.workflows"
    label = "workflows"
    verbose_name = _("Back-office processes")
