"""Names of a flow's codes on the agent's screen: facts, end actions, the ways along the path."""

from typing import Any

from django import template
from django.utils.translation import gettext as _

from firstcall.navigation.fact_labels import END_ACTIONS, PATH_KINDS, fact_label, fact_value

register = template.Library()


@register.filter(name="fact_label")
def fact_label_filter(name: str) -> Any:
    return fact_label(name)


@register.filter(name="fact_value")
def fact_value_filter(value: Any, name: str) -> Any:
    """`{{ value|fact_value:name }}`: the fact's value in words."""
    return fact_value(name, value)


@register.filter
def end_action(action: str) -> Any:
    return END_ACTIONS.get(action, action)


@register.filter
def path_kind(how: str) -> Any:
    return PATH_KINDS.get(how, how)


@register.filter
def step_name(step_id: str, spec: Any) -> str:
    """`{{ id|step_name:spec }}`: the step's name in the flow (its id only if the flow has no
    such step any more)."""
    step = getattr(spec, "steps", {}).get(step_id)
    return step.name if step is not None else step_id


@register.filter
def facts_text(facts: dict[str, Any] | None) -> str:
    """Facts as a sentence: "Weak coverage: no; Cell alarms: 0"."""
    # Translators: a fact's name and its value; the separator between facts follows.
    pairs = [
        _("%(fact)s: %(value)s") % {"fact": fact_label(k), "value": fact_value(k, v)}
        for k, v in (facts or {}).items()
    ]
    # Translators: the separator between facts in a list.
    return _("; ").join(pairs)
