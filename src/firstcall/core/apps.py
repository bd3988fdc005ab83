from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "firstcall.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from firstcall.core import outbox, schedule, timers

        outbox.register("event", outbox.deliver_event, label=_("Event"))
        timers.register(schedule.KIND, schedule.run_job, label=_("Scheduled job"))
