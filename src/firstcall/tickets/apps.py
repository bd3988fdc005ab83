from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "firstcall.tickets"
    label = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        from firstcall.core import outbox, timers
        from firstcall.tickets import services

        timers.register(
            services.RESUME_REMINDER, services.remind_resume, label=_("Held call's resume reminder")
        )
        outbox.describe("ticket.created", _("Ticket created"))
        outbox.describe("ticket.status_changed", _("Ticket status changed"))
