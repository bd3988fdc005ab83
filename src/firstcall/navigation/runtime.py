"""The navigation session of a call: start it, follow branches, jump, go back.

The path is the record of the call: every entry names the step, how the agent got there (`auto`
from auto-diagnosis, `branch` on facts or the caller's answer, `jump` outside the flow, `back`),
the branch label, the facts the step decided on and the time. A jump is a deviation and is
counted; so is going back.
"""

from collections.abc import Hashable
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from firstcall.core import clock
from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.errors import InvalidTransition, NotFound, ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.navigation.diagnosis import Diagnosis, choose, stop_at
from firstcall.navigation.fact_labels import facts_sentence
from firstcall.navigation.models import Flow, FlowVersion, NavigationSession
from firstcall.navigation.spec import FlowSpec, Step, from_bpmn
from firstcall.navigation.validate import compiled
from firstcall.orgs.models import OrgUnit
from firstcall.rules import expressions
from firstcall.tickets import services as tickets

# By version id and content hash: a published version never changes, and one retired and
# published again (or an id reused after a rollback) is a new key.
_specs: dict[tuple[int, str], FlowSpec] = {}


def spec_of(session: NavigationSession) -> FlowSpec | None:
    """The version's flow; its conditions are compiled once for the version (`spec.key`)."""
    version = session.version
    if version is None:
        return None
    key = (version.pk, expressions.content_hash(version.bpmn))
    spec = _specs.get(key)
    if spec is None:
        spec = from_bpmn(version.bpmn)
        spec.key = ("version", *key)
        _specs[key] = spec
    return spec


_shown: dict[tuple[tuple[Hashable, ...], str], FlowSpec] = {}


def display_spec(session: NavigationSession) -> FlowSpec | None:
    """The session's flow with its texts in the active language, for the agent's screen; the
    session itself records the flow's own texts."""
    spec = spec_of(session)
    if spec is None or session.version is None:
        return spec
    key = (spec.key, get_language() or "")
    if key not in _shown:
        _shown[key] = spec.localized(key[1])
    return _shown[key]


def _shown_name(session: NavigationSession, step: Step) -> str:
    """The step's name in the active language."""
    shown = display_spec(session)
    return (shown.steps.get(step.id, step) if shown else step).name or step.id


def published_version(flow_code: str) -> FlowVersion | None:
    return (
        FlowVersion.objects.filter(flow__code=flow_code, status=FlowVersion.Status.PUBLISHED)
        .select_related("flow")
        .first()
    )


def _entry(step: str, how: str, label: str = "", facts: dict[str, Any] | None = None) -> dict:
    return {
        "step": step,
        "how": how,
        "label": label,
        "facts": facts or {},
        "at": clock.now().isoformat(),
    }


def _save(ctx: ChangeContext, session: NavigationSession, before: dict[str, Any]) -> None:
    session.save()
    ctx.record(session, ObjectChange.Action.UPDATE, before=before)


def start(
    ctx: ChangeContext,
    *,
    unit: OrgUnit,
    customer_id: str,
    number: str,
    phenomenon_code: str = "",
    phenomenon: str = "",
    flow_code: str = "",
    customer_level: str = "",
) -> NavigationSession:
    """Open the call's pre-processing ticket and its session on the flow's published version
    (none when the phenomenon has no flow: the agent works from the unified view alone)."""
    ticket = tickets.open_preprocessing(
        ctx,
        unit=unit,
        customer_id=customer_id,
        service_number=number,
        phenomenon_code=phenomenon_code,
        phenomenon=phenomenon,
        customer_level=customer_level,
    )
    version = published_version(flow_code) if flow_code else None
    if flow_code and version is None and Flow.objects.filter(code=flow_code).exists():
        raise NotFound(_("The flow %(code)s has no published version.") % {"code": flow_code})
    session = NavigationSession.objects.create(ticket=ticket, version=version, number=number)
    spec = spec_of(session)
    if spec is not None:
        session.current_step = spec.entry
        session.path = [_entry(spec.entry, "start")]
        session.save()
    ctx.record(session, ObjectChange.Action.CREATE)
    return session


def _locked(session: NavigationSession) -> tuple[NavigationSession, FlowSpec]:
    session = (
        NavigationSession.objects.select_for_update(of=("self",))
        .select_related("version")
        .get(pk=session.pk)
    )
    if session.finished_at is not None:
        raise InvalidTransition(_("The call has ended; its flow cannot change."))
    spec = spec_of(session)
    if spec is None:
        raise InvalidTransition(_("This call follows no flow."))
    return session, spec


def accept(
    ctx: ChangeContext, session: NavigationSession, diagnosis: Diagnosis
) -> NavigationSession:
    """Take the path auto-diagnosis proposed from the current step to where it stopped."""
    session, _spec = _locked(session)
    visits = list(diagnosis.path)
    if not visits or visits[0].step.id != session.current_step:
        raise InvalidTransition(_("The proposal does not start where the call stands."))
    # Actions are the agent's to carry out: the path is taken up to the first one, which the call
    # then stands on with its branch not yet taken.
    cut = next((n for n, v in enumerate(visits) if v.step.kind == "action"), len(visits) - 1)
    visits = visits[: cut + 1]
    before = snapshot(session)
    taken = [v.branch.label if v.branch else "" for v in visits]
    taken[-1] = ""
    first = visits.pop(0)
    session.path[-1].update(label=taken[0], facts=first.facts)
    for visit, label in zip(visits, taken[1:], strict=True):
        session.path.append(_entry(visit.step.id, "auto", label, visit.facts))
    for visit in diagnosis.path[:cut]:
        if visit.branch is not None and visit.branch.answer:
            session.answers[visit.step.id] = visit.branch.answer
    session.current_step = visits[-1].step.id if visits else first.step.id
    _save(ctx, session, before)
    return session


def follow(
    ctx: ChangeContext,
    session: NavigationSession,
    facts: dict[str, Any],
    answer: str = "",
    *,
    repaired: bool = False,
) -> NavigationSession:
    """Take the branch of the current step that the facts (or the caller's answer) select;
    `repaired` counts a platform repair the step carried out."""
    session, spec = _locked(session)
    step = spec.steps[session.current_step]
    if step.kind == "end":
        raise InvalidTransition(_("The flow has reached its end; choose how the call ends."))
    local = dict(facts)
    if step.kind == "action":
        local.setdefault("action_ok", True)
    branch = choose(step, local, answer, compiled(spec))
    if branch is None and (stop := stop_at(spec, step, local)) is not None:
        raise ValidationFailed(
            errors={
                "step": [
                    _(
                        "No condition of the step “%(step)s” holds: %(facts)s. Decide with the "
                        "caller, or jump to the step that fits."
                    )
                    % {"step": _shown_name(session, step), "facts": facts_sentence(stop.facts)}
                ]
            }
        )
    if branch is None:
        raise ValidationFailed(
            errors={"answer": [_("No branch of this step fits; choose the caller's answer.")]}
        )
    before = snapshot(session)
    session.path[-1]["label"] = branch.label
    session.path[-1]["facts"] = {k: facts[k] for k in facts if k in local}
    if answer:
        session.answers[step.id] = answer
    if repaired:
        session.repairs += 1
    session.path.append(_entry(branch.target, "branch"))
    session.current_step = branch.target
    _save(ctx, session, before)
    return session


def jump(ctx: ChangeContext, session: NavigationSession, step_id: str) -> NavigationSession:
    """Go to any step of the flow, off the path: recorded as a deviation."""
    session, spec = _locked(session)
    if step_id not in spec.steps:
        raise ValidationFailed(errors={"step": [_("The flow has no such step.")]})
    before = snapshot(session)
    session.path.append(_entry(step_id, "jump"))
    session.current_step = step_id
    session.deviations += 1
    _save(ctx, session, before)
    return session


def back(ctx: ChangeContext, session: NavigationSession) -> NavigationSession:
    """Return to the step before the current one on the path."""
    session, _spec = _locked(session)
    if len(session.path) < 2:
        raise InvalidTransition(_("This is the first step; there is nowhere to go back to."))
    before = snapshot(session)
    previous = session.path[-2]["step"]
    session.path.append(_entry(previous, "back"))
    session.current_step = previous
    session.deviations += 1
    _save(ctx, session, before)
    return session
