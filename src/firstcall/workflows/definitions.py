"""The processes' definitions: a version published once the engine accepts its document, and
the seeded processes published from `seed/manifest.yaml`."""

from pathlib import Path

import yaml
from django.db.models import Max
from django.utils.translation import gettext as _

from firstcall.core import versions
from firstcall.core.audit import ChangeContext
from firstcall.core.errors import ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.tickets.models import Ticket
from firstcall.workflows import engine
from firstcall.workflows.models import Process, ProcessVersion

SEED = Path(__file__).resolve().parent / "seed"


def publish_version(ctx: ChangeContext, version: ProcessVersion) -> ProcessVersion:
    """Publish a version whose document the engine accepts; refused with its problems (each at
    its BPMN element) otherwise. The version published before is retired; running tickets keep
    the version they started on."""
    problems = engine.validate(version.bpmn)
    if problems:
        raise ValidationFailed(
            _("The process cannot be published: %(n)s problems.") % {"n": len(problems)},
            errors={
                "bpmn": [f"{p.element}: {p.message}" if p.element else p.message for p in problems]
            },
        )
    return versions.publish_version(
        ctx, version, ProcessVersion.objects.filter(process=version.process)
    )


def seed_processes(ctx: ChangeContext, folder: Path = SEED) -> list[ProcessVersion]:
    """The processes of `seed/manifest.yaml`, each published from its BPMN file. Idempotent: a
    process whose published version holds the same document is left as it is; a changed file
    becomes a new published version."""
    manifest = folder / "manifest.yaml"
    if not manifest.exists():
        return []
    entries = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
    published = []
    for entry in entries.get("processes", entries if isinstance(entries, list) else []):
        process = Process.objects.filter(code=entry["code"]).first()
        if process is None:
            process = Process.objects.create(
                code=entry["code"],
                name_zh=entry.get("name_zh", entry["code"]),
                name_en=entry.get("name_en", ""),
                ticket_kind=entry.get("ticket_kind", Ticket.Kind.COMPLAINT),
            )
            ctx.record(process, ObjectChange.Action.CREATE)
        bpmn = (folder / entry["file"]).read_text(encoding="utf-8")
        current = process.versions.filter(status=ProcessVersion.Status.PUBLISHED).first()
        if current is not None and current.bpmn == bpmn:
            published.append(current)
            continue
        number = (process.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ProcessVersion.objects.create(process=process, number=number, bpmn=bpmn)
        ctx.record(version, ObjectChange.Action.CREATE)
        published.append(publish_version(ctx, version))
    return published


def published_version(process_code: str) -> ProcessVersion | None:
    return (
        ProcessVersion.objects.select_related("process")
        .filter(process__code=process_code, status=ProcessVersion.Status.PUBLISHED)
        .first()
    )
