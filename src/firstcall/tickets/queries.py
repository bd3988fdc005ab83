"""Reads of tickets for the unified view: a customer's tickets and what they call about."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _

from firstcall.core import clock
from firstcall.core.errors import NotFound
from firstcall.tickets.models import Ticket, TicketEvent

REPEAT_WINDOW = timedelta(days=30)


def for_customer(
    principal: Any, customer_id: str, *, action: str = "view", limit: int = 20
) -> list[Ticket]:
    """The customer's tickets the principal may see (by `action`, scoped), newest first."""
    queryset = Ticket.objects.restrict(principal, action).filter(customer_id=customer_id)
    # The list shows no diagnosis: its JSON (the path, the answers) is not read for it.
    return list(queryset.select_related("unit").defer("diagnosis")[:limit])


@dataclass(frozen=True)
class Concerns:
    top_phenomena: list[tuple[str, int]]
    last_contact: datetime | None
    contacts_30d: int
    repeat: bool  # two or more contacts within 30 days


def concerns(customer_id: str) -> Concerns:
    """What the customer has called about, across every org unit: the agent on the line sees it
    even when an earlier call was taken elsewhere (no ticket content is shown, only counts).
    Counts are of contacts (calls), not of tickets."""
    since = clock.now() - REPEAT_WINDOW
    # One call is one contact: a ticket converted from a call's pre-processing ticket (its
    # fault or complaint ticket) is the same contact, so only tickets not converted count.
    rows = list(
        Ticket.objects.filter(customer_id=customer_id, converted_from__isnull=True)
        .order_by("-opened_at")
        .values_list("phenomenon", "opened_at")[:200]
    )
    counts = Counter(p for p, _ in rows if p)
    recent = sum(1 for _, opened in rows if opened >= since)
    return Concerns(
        top_phenomena=counts.most_common(3),
        last_contact=rows[0][1] if rows else None,
        contacts_30d=recent,
        repeat=recent >= 2,
    )


def repeat_count(service_number: str, phenomenon_codes: list[str], *, exclude: int = 0) -> int:
    """Fault and complaint tickets of the same number about the same complaint type (any of its
    phenomena) opened within the repeat window: what makes a complaint a repeat (重复投诉)."""
    if not phenomenon_codes:
        return 0
    return (
        Ticket.objects.filter(
            service_number=service_number,
            kind__in=(Ticket.Kind.FAULT, Ticket.Kind.COMPLAINT),
            phenomenon_code__in=phenomenon_codes,
            opened_at__gte=clock.now() - REPEAT_WINDOW,
        )
        .exclude(pk=exclude)
        .count()
    )


def held_by(user: Any) -> list[Ticket]:
    """The agent's held calls, the next to resume first."""
    queryset = Ticket.objects.filter(opened_by=user, status=Ticket.Status.HELD)
    return list(queryset.order_by("resume_at"))


def expert_queue(principal: Any) -> list[Ticket]:
    """Calls transferred to the expert desk, within the expert's scope, oldest first."""
    queryset = Ticket.objects.restrict(principal, "accounts.use_expert_desk")
    return list(queryset.filter(status=Ticket.Status.TRANSFERRED).order_by("updated"))


def last_transfers(ticket_ids: list[int]) -> dict[int, TicketEvent]:
    """The latest transfer to the expert desk of each ticket (who, when, the note), by ticket."""
    events = TicketEvent.objects.filter(
        ticket_id__in=ticket_ids, action=TicketEvent.Action.TRANSFERRED
    ).order_by("time", "id")
    return {e.ticket_id: e for e in events}  # the latest wins


# Who may open a ticket: the agents (workbench) and the back office, each within their scope.
VIEWERS = ("accounts.use_agent_workbench", "accounts.use_back_office")


def ticket_for(principal: Any, code: str) -> Ticket:
    """One ticket by its number, if it lies in the principal's scope for either role (404 else:
    a ticket outside the scope is not confirmed to exist)."""
    for permission in VIEWERS:
        found = (
            Ticket.objects.restrict(principal, permission)
            .select_related("unit", "converted_from", "assignee", "opened_by")
            .filter(code=code)
            .first()
        )
        if found is not None:
            return found
    raise NotFound(_("There is no ticket %(code)s you may see.") % {"code": code})


def history(ticket: Ticket) -> list[TicketEvent]:
    return list(ticket.events.all())
