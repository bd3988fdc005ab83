from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "firstcall.workflows"
    label = "workflows"
    verbose_name = _("Back-office processes")

    def ready(self) -> None:
        from firstcall.core import outbox

        outbox.describe("ticket.chased", _("Ticket chased"))
        outbox.describe("ticket.stage_reply", _("Stage reply on a ticket"))
        outbox.describe("ticket.stage_notice", _("Stage notice on a ticket"))
        outbox.describe("ticket.handed_over", _("Work item handed over"))
