"""Reads of calls: a session the principal may work on, the steps of its flow in reading order."""

from typing import Any

from django.shortcuts import get_object_or_404

from firstcall.navigation.models import NavigationSession
from firstcall.navigation.spec import FlowSpec, Step
from firstcall.tickets.models import Ticket

USE_WORKBENCH = "accounts.use_agent_workbench"


def session_for(principal: Any, pk: int) -> NavigationSession:
    """A call the principal may work on: its ticket lies in their workbench scope (404 else)."""
    tickets = Ticket.objects.restrict(principal, USE_WORKBENCH)
    return get_object_or_404(
        NavigationSession.objects.select_related("ticket", "version__flow"),
        pk=pk,
        ticket__in=tickets,
    )


def steps_in_order(spec: FlowSpec) -> list[Step]:
    """Breadth-first from the entry, then anything left: the order an agent reads a flow in."""
    order: list[str] = []
    queue = [spec.entry]
    while queue:
        current = queue.pop(0)
        if current in order or current not in spec.steps:
            continue
        order.append(current)
        queue.extend(spec.successors(current))
    order.extend(s for s in spec.steps if s not in order)
    return [spec.steps[s] for s in order]
