"""Rule set writes: the draft an admin edits, publishing (validated), and the seeded sets."""

from pathlib import Path
from typing import Any

import yaml
from django.db.models import Max
from django.utils.translation import gettext as _

from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.errors import ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.core.versions import publish_version
from firstcall.rules.engine import bounds_problems, problems
from firstcall.rules.expressions import MAX_LENGTH
from firstcall.rules.models import RuleSet, RuleSetVersion

SEED_DIR = Path(__file__).parent / "seed"


MAX_ROWS = 100
MAX_TABLE_TEXT = 20_000  # characters of expressions in one table: bounds the work of a save


def clean_rows(rule_set: RuleSet, rows: Any) -> list[dict[str, Any]]:
    """Rows in the stored shape; anything else is refused before it is stored, and so is an
    expression out of bounds (too long, nested too deeply, a regular expression RE2 cannot run).
    Other problems (a name the table does not know, say) keep a draft from being published, not
    from being saved."""
    if not isinstance(rows, list):
        raise ValidationFailed(errors={"rows": [_("Rows must be a list.")]})
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(
            errors={"rows": [_("A table has at most %(limit)s rows.") % {"limit": MAX_ROWS}]}
        )
    cleaned: list[dict[str, Any]] = []
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not isinstance(row.get("then", {}), dict):
            raise ValidationFailed(errors={"rows": [_("Row %(n)s is not a row.") % {"n": n}]})
        then = row.get("then") or {}
        cleaned.append(
            {
                "when": str(row.get("when") or "").strip(),
                "then": {name: str(then.get(name) or "").strip() for name in rule_set.outputs},
                "note": str(row.get("note") or "").strip()[:300],
            }
        )
    texts = [text for r in cleaned for text in (r["when"], *r["then"].values())]
    total = sum(len(t) for t in texts if len(t) <= MAX_LENGTH)  # longer: refused one by one
    if total > MAX_TABLE_TEXT:
        message = _("The table's expressions are %(length)s characters in all; at most %(limit)s.")
        raise ValidationFailed(
            errors={"rows": [message % {"length": total, "limit": MAX_TABLE_TEXT}]}
        )
    found = bounds_problems(cleaned)
    if any("\x00" in row["note"] for row in cleaned):
        found.append(_("A note contains a NUL character."))
    if found:
        raise ValidationFailed(_("The draft was not saved."), errors={"rows": found})
    return cleaned


def save_draft(ctx: ChangeContext, rule_set: RuleSet, rows: Any, note: str = "") -> RuleSetVersion:
    """The rule set's one draft, created or replaced. A draft may still have problems; they
    keep it from being published, not from being saved. The caller holds the transaction."""
    cleaned = clean_rows(rule_set, rows)
    if "\x00" in note:
        raise ValidationFailed(errors={"note": [_("The note contains a NUL character.")]})
    RuleSet.objects.select_for_update().filter(pk=rule_set.pk).first()
    version = rule_set.versions.filter(status=RuleSetVersion.Status.DRAFT).first()
    if version is None:
        last = rule_set.versions.aggregate(n=Max("number"))["n"] or 0
        version = RuleSetVersion.objects.create(
            rule_set=rule_set, number=last + 1, rows=cleaned, note=note[:300]
        )
        ctx.record(version, ObjectChange.Action.CREATE)
        return version
    before = snapshot(version)
    version.rows = cleaned
    version.note = note[:300]
    version.save()
    ctx.record(version, ObjectChange.Action.UPDATE, before=before)
    return version


def version_problems(version: RuleSetVersion) -> list[str]:
    rs = version.rule_set
    return problems(rs.inputs, rs.outputs, version.rows)


def publish(ctx: ChangeContext, version: RuleSetVersion) -> RuleSetVersion:
    """Validate and publish; the version published before is retired. Nothing changes when the
    table has a problem: every problem is reported at once. The caller holds the transaction."""
    version = (
        RuleSetVersion.objects.select_for_update().select_related("rule_set").get(pk=version.pk)
    )
    if version.status != RuleSetVersion.Status.DRAFT:
        raise ValidationFailed(errors={"version": [_("Only a draft can be published.")]})
    found = version_problems(version)
    if found:
        raise ValidationFailed(_("The rule set cannot be published."), errors={"rows": found})
    return publish_version(ctx, version, RuleSetVersion.objects.filter(rule_set=version.rule_set))


def seed_rule_sets(ctx: ChangeContext) -> list[RuleSet]:
    """Create and publish every seeded rule set that does not exist yet. The caller (the seed
    command) holds the transaction."""
    created = []
    for path in sorted(SEED_DIR.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if RuleSet.objects.filter(key=raw["key"]).exists():
            continue
        rule_set = RuleSet.objects.create(
            key=raw["key"],
            name=raw["name"],
            description=raw.get("description", ""),
            inputs=raw["inputs"],
            outputs=raw["outputs"],
        )
        ctx.record(rule_set, ObjectChange.Action.CREATE)
        publish(ctx, save_draft(ctx, rule_set, raw["rows"], _("Seeded")))
        created.append(rule_set)
    return created


def discard_draft(ctx: ChangeContext, version: RuleSetVersion) -> None:
    if version.status != RuleSetVersion.Status.DRAFT:
        raise ValidationFailed(errors={"version": [_("Only a draft can be discarded.")]})
    ctx.record(version, ObjectChange.Action.DELETE, before=snapshot(version))
    version.delete()
