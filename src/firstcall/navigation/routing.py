"""Where a converted ticket goes: the `ticket-routing` rule set decides the receiving group and
the priority from what the call knows. The flow's end step only proposes a group (`flow_group`);
the table may keep it, raise the priority, or send the ticket elsewhere (a repeat complaint to
the provincial centre, say). An admin changes the table and it applies to the next conversion."""

import re
from typing import Any

from firstcall.navigation.models import NavigationSession
from firstcall.navigation.runtime import spec_of
from firstcall.rules.queries import Ruling, ruling
from firstcall.taxonomy.queries import get_phenomenon, sibling_codes
from firstcall.tickets.queries import repeat_count

RULE_SET = "ticket-routing"
STAR = re.compile(r"^(\d+)")


def star_of(level: str) -> float:
    """The number of stars in a CRM level such as `5星白金`; 0 when it shows none."""
    found = STAR.match(level or "")
    return float(found.group(1)) if found else 0.0


def routing_facts(session: NavigationSession, kind: str) -> dict[str, Any]:
    ticket = session.ticket
    phenomenon = get_phenomenon(ticket.phenomenon_code)
    spec = spec_of(session)
    step = spec.steps.get(session.current_step) if spec else None
    at_end = step is not None and step.kind == "end"
    return {
        "kind": kind,
        "scenario": phenomenon.complaint_type.scenario.code if phenomenon else "",
        "complaint_type": phenomenon.complaint_type.code if phenomenon else "",
        "phenomenon": ticket.phenomenon_code,
        "flow": spec.code if spec else "",
        "end_step": step.id if at_end and step else "",
        "end_action": step.action if at_end and step else "",
        "flow_group": step.ticket_to if at_end and step else "",
        "flow_priority": step.priority if at_end and step else "",
        "repeat_count": repeat_count(
            ticket.service_number,
            sibling_codes(phenomenon) if phenomenon else [],
            exclude=ticket.pk,
        ),
        "star": star_of(ticket.customer_level),
        "city": ticket.unit.code,
        "repairs": session.repairs,
        "deviations": session.deviations,
    }


def route(session: NavigationSession, kind: str) -> tuple[Ruling, dict[str, Any]]:
    """The rule set's decision for converting this call into a `kind` ticket, and its inputs.
    Raises NotFound (no published rule set) or RuleError (the table cannot decide)."""
    facts = routing_facts(session, kind)
    return ruling(RULE_SET, facts), facts
