"""What the call page shows of the call's ticket beyond its status: the transfer to the experts."""

from typing import Any

from django import template

from firstcall.tickets import queries as tickets

register = template.Library()


@register.simple_tag
def last_transfer(ticket: Any) -> Any:
    """The ticket's latest transfer to the expert desk (who, when, the note), or None."""
    if ticket is None or not getattr(ticket, "pk", None):
        return None
    return tickets.last_transfers([ticket.pk]).get(ticket.pk)
