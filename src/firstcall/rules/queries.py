"""Reading rule sets and deciding with the published version of one."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from firstcall.core.errors import NotFound
from firstcall.rules.engine import Compiled, Decision, compile_table, compiled_table, decide
from firstcall.rules.models import RuleSet, RuleSetVersion

# A version's rows never change once it is published, so its compiled table is kept by id and
# content (`engine.compiled_table`); which version is published is read from the database at
# every decision (one indexed query), so a publish takes effect in every process at once.


@dataclass
class Ruling:
    key: str
    version: int
    decision: Decision

    @property
    def outputs(self) -> dict[str, str]:
        return self.decision.outputs

    def record(self) -> dict[str, Any]:
        """What a ticket keeps of the decision."""
        return {"rule_set": self.key, "version": self.version, "row": self.decision.row}


def rule_sets() -> list[RuleSet]:
    return list(RuleSet.objects.prefetch_related("versions"))


def get_rule_set(key: str) -> RuleSet:
    rule_set = RuleSet.objects.filter(key=key).first()
    if rule_set is None:
        raise NotFound(_("There is no rule set %(key)s.") % {"key": key})
    return rule_set


def published(key: str) -> RuleSetVersion | None:
    return (
        RuleSetVersion.objects.filter(rule_set__key=key, status=RuleSetVersion.Status.PUBLISHED)
        .select_related("rule_set")
        .first()
    )


def draft(rule_set: RuleSet) -> RuleSetVersion | None:
    return rule_set.versions.filter(status=RuleSetVersion.Status.DRAFT).first()


def compiled(version: RuleSetVersion) -> Compiled:
    if version.status != RuleSetVersion.Status.PUBLISHED:
        rs = version.rule_set
        return compile_table(rs.inputs, rs.outputs, version.rows)
    rs = version.rule_set
    return compiled_table(version.pk, rs.inputs, rs.outputs, version.rows)


def ruling(key: str, facts: dict[str, Any]) -> Ruling:
    """Decide with the rule set's published version. Raises NotFound when it has none and
    RuleError when the table cannot decide."""
    version = published(key)
    if version is None:
        raise NotFound(_("The rule set %(key)s has no published version.") % {"key": key})
    return Ruling(key, version.number, decide(compiled(version), facts))
