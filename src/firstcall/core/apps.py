from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "firstcall.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from firstcall.core import outbox, schedule, timers
        from firstcall.core.inputs import check_before_save

        # Not business logic: the column limits every write must respect on both databases.
        pre_save.connect(check_before_save, dispatch_uid="firstcall.core.check_before_save")

        outbox.register("event", outbox.deliver_event, label=_("Event"))
        timers.register(schedule.KIND, schedule.run_job, label=_("Scheduled job"))
