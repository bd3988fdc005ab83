from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "firstcall.sla"
    label = "sla"
    verbose_name = _("SLA clocks")

    def ready(self) -> None:
        from firstcall.core import timers
        from firstcall.sla import alarms

        timers.register(alarms.WARN, alarms.on_warn, label=_("SLA deadline warning"))
        timers.register(alarms.ALARM, alarms.on_alarm, label=_("SLA deadline alarm"))
        timers.register(alarms.BREACH, alarms.on_breach, label=_("SLA deadline passed"))
