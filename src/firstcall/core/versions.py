"""Publishing one version of something kept in versions (a flow, a rule set): the version
published before is retired, this one is stamped with who published it and when, and each
change leaves its audit row. The caller validates first and holds the transaction."""

from typing import Any

from django.db import models

from firstcall.core import clock
from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.models import ObjectChange, VersionedModel

PUBLISHED, RETIRED = VersionedModel.Status.PUBLISHED, VersionedModel.Status.RETIRED


def publish_version(ctx: ChangeContext, version: Any, siblings: models.QuerySet) -> Any:
    """`version` is a `VersionedModel`; `siblings` are the versions of the same thing."""
    for old in siblings.select_for_update().filter(status=PUBLISHED).exclude(pk=version.pk):
        before = snapshot(old)
        old.status = RETIRED
        old.save(update_fields=["status"])
        ctx.record(old, ObjectChange.Action.UPDATE, before=before)
    before = snapshot(version)
    version.status = PUBLISHED
    version.published_at = clock.now()
    version.published_by = ctx.actor_label
    version.save()
    ctx.record(version, ObjectChange.Action.UPDATE, before=before)
    return version
