"""How a call ends, on its ticket and its session together: resolved at first contact, held (and
resumed), converted into a fault or complaint ticket, or transferred to the expert desk (and
claimed). The session keeps the outcome, the duration, the deviations and the repairs: what
first-contact resolution is measured on."""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from firstcall.core import clock
from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.errors import NotFound, ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.navigation.models import NavigationSession
from firstcall.navigation.routing import route
from firstcall.navigation.runtime import display_spec, spec_of
from firstcall.rules.engine import RuleError
from firstcall.tickets import services as tickets
from firstcall.tickets.models import Ticket
from firstcall.workflows import services as workflows

Outcome = NavigationSession.Outcome


def diagnosis_of(session: NavigationSession) -> dict[str, Any]:
    """What the call found, carried by the ticket: flow and version, path, answers, evidence."""
    version = session.version
    spec = spec_of(session)
    steps = spec.steps if spec is not None else {}
    # Each step of the path with its name, so the ticket reads in words whatever the flow
    # becomes later.
    path = [
        {**e, "name": steps[e["step"]].name} if e.get("step") in steps else e for e in session.path
    ]
    return {
        "flow": version.flow.code if version else "",
        "flow_name": version.flow.name_zh if version else "",
        "version": version.number if version else None,
        "path": path,
        "answers": session.answers,
        "deviations": session.deviations,
        "repairs": session.repairs,
    }


def _record(
    ctx: ChangeContext, session: NavigationSession, outcome: str, *, finished: bool
) -> None:
    before = snapshot(session)
    session.outcome = outcome
    if finished:
        session.finished_at = clock.now()
        session.duration_s = max(0, int((session.finished_at - session.created).total_seconds()))
    session.save()
    ctx.record(session, ObjectChange.Action.UPDATE, before=before)


def record_caller(
    ctx: ChangeContext, session: NavigationSession, description: str, callback_number: str
) -> Ticket:
    """What the caller says and the number to call back on, kept on the call's ticket."""
    ticket = tickets.record_caller(ctx, session.ticket, description, callback_number)
    session.ticket = ticket
    return ticket


def summary_of(ticket: Ticket, fallback: str = "") -> str:
    """A converted ticket's summary: the phenomenon and what the caller said (the end step's
    name stands in for a call without a phenomenon)."""
    phenomenon = ticket.phenomenon or fallback
    description = " ".join(ticket.caller_description.split())
    if phenomenon and description:
        return _("%(phenomenon)s: %(description)s") % {
            "phenomenon": phenomenon,
            "description": description,
        }
    return phenomenon or description


def resolve(ctx: ChangeContext, session: NavigationSession, reply: str) -> Ticket:
    ticket = tickets.resolve(ctx, session.ticket, reply, diagnosis_of(session))
    _record(ctx, session, Outcome.RESOLVED, finished=True)
    return ticket


def suggested_reply(session: NavigationSession) -> str:
    """The current end step's wording in the agent's language, for the agent to edit."""
    spec = display_spec(session)
    if spec is None or session.current_step not in spec.steps:
        return ""
    return spec.steps[session.current_step].reply


def hold(
    ctx: ChangeContext, session: NavigationSession, reason: str, resume_at: datetime | None
) -> Ticket:
    ticket = tickets.hold(ctx, session.ticket, reason, resume_at)
    _record(ctx, session, Outcome.HELD, finished=False)
    return ticket


def resume(ctx: ChangeContext, session: NavigationSession) -> Ticket:
    """Back on the call, the session where it stood."""
    ticket = tickets.resume(ctx, session.ticket)
    _record(ctx, session, "", finished=False)
    return ticket


def convert(
    ctx: ChangeContext,
    session: NavigationSession,
    *,
    kind: str = "",
    receiving_group: str = "",
    priority: str = "",
    summary: str = "",
) -> Ticket:
    """Into a fault or complaint ticket: the kind the flow's end step names unless the agent
    chooses one; the receiving group and priority as the routing rule set decides, unless the
    agent names a group (an override, recorded with the rule set's own decision). The new ticket
    starts its back-office process (`workflows.services.start_for_call`)."""
    spec = spec_of(session)
    step = spec.steps.get(session.current_step) if spec else None
    kind = kind or (step.ticket_kind if step else "")
    if kind not in (Ticket.Kind.FAULT, Ticket.Kind.COMPLAINT):
        raise ValidationFailed(errors={"kind": [_("Choose a fault or a complaint ticket.")]})
    diagnosis = diagnosis_of(session)
    try:
        decided, facts = route(session, kind)
    except (NotFound, RuleError) as exc:
        if not receiving_group.strip():
            raise ValidationFailed(
                _("The routing rules could not decide (%(why)s): name the receiving group.")
                % {"why": exc},
                errors={"receiving_group": [_("Name the receiving group.")]},
            ) from exc
        diagnosis["routing"] = {"error": str(exc), "overridden": True}
    else:
        diagnosis["routing"] = {
            **decided.record(),
            **decided.outputs,
            "inputs": facts,
            "overridden": bool(receiving_group.strip()),
        }
        receiving_group = receiving_group.strip() or decided.outputs["group"]
        priority = priority or decided.outputs["priority"]
    source = Ticket.objects.get(pk=session.ticket.pk)  # with what the caller said, as saved
    new = tickets.convert(
        ctx,
        source,
        kind=kind,
        receiving_group=receiving_group,
        priority=priority or "normal",
        summary=summary.strip() or summary_of(source, step.name if step else ""),
        diagnosis=diagnosis,
    )
    _record(ctx, session, Outcome.FAULT if kind == "fault" else Outcome.COMPLAINT, finished=True)
    # The ticket enters its back-office process (work items at the units the group names).
    workflows.start_for_call(ctx, new)
    return Ticket.objects.get(pk=new.pk)


def transfer(ctx: ChangeContext, session: NavigationSession, note: str = "") -> Ticket:
    ticket = tickets.transfer(ctx, session.ticket, note, diagnosis_of(session))
    _record(ctx, session, Outcome.TRANSFERRED, finished=False)
    return ticket


def claim(ctx: ChangeContext, session: NavigationSession) -> Ticket:
    """An expert continues the call in the same session."""
    ticket = tickets.claim(ctx, session.ticket)
    _record(ctx, session, "", finished=False)
    return ticket
