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
    """The steps as an agent reads the flow: along the flow, outcomes last.

    Working steps come first, each after every step that leads to it (a branch that loops back is
    not counted), and otherwise as soon as the step it leaves from allows: a step's branches are
    followed in the flow's own order, each as far as it goes before the next one starts, so a side
    step (a repair, a question) sits right after the check it branches from and the main line of
    checks reads top to bottom as the diagram reads left to right. End steps (the call's outcomes)
    follow, in the order they are first reached; steps the entry cannot reach come last.
    """
    steps = spec.steps
    back: set[tuple[str, str]] = set()  # edges that close a loop, found depth-first from the entry
    seen: set[str] = set()
    stack: list[tuple[str, list[str]]] = []
    if spec.entry in steps:
        seen.add(spec.entry)
        stack.append((spec.entry, [t for t in spec.successors(spec.entry) if t in steps]))
    on_path = {spec.entry}
    while stack:
        current, todo = stack[-1]
        if not todo:
            stack.pop()
            on_path.discard(current)
            continue
        target = todo.pop(0)
        if target in on_path:
            back.add((current, target))
        elif target not in seen:
            seen.add(target)
            on_path.add(target)
            stack.append((target, [t for t in spec.successors(target) if t in steps]))

    def forward(step_id: str) -> list[str]:
        targets = [t for t in spec.successors(step_id) if t in steps and (step_id, t) not in back]
        return list(dict.fromkeys(targets))

    waiting = {s: 0 for s in steps}
    for s in steps:
        for t in forward(s):
            waiting[t] += 1
    working: list[str] = []
    ends: list[str] = []
    ready = [spec.entry] if spec.entry in steps else []
    while ready:
        current = ready.pop()
        (ends if steps[current].kind == "end" else working).append(current)
        released = []
        for t in forward(current):
            waiting[t] -= 1
            if waiting[t] == 0:
                released.append(t)
        ready.extend(reversed(released))  # the first branch is taken first
    ends.sort(key=lambda e: _first_reached(spec, working, e))
    listed = set(working) | set(ends)
    rest = [s for s in steps if s not in listed]
    return [steps[s] for s in working + ends + rest]


def _first_reached(spec: FlowSpec, working: list[str], end: str) -> tuple[int, int]:
    """Where an end is first reached: the earliest listed step leading to it, then its branch."""
    for position, step_id in enumerate(working):
        targets = spec.successors(step_id)
        if end in targets:
            return position, targets.index(end)
    return len(working), 0
