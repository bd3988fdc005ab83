"""ChangeContext: who is writing, from where and why. Every service write records through one."""

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from firstcall.core import clock
from firstcall.core.models import ObjectChange

# Fields never written into an audit snapshot.
SECRET_FIELDS = frozenset({"password", "key_hash", "secret", "credentials"})


def snapshot(obj: models.Model) -> dict[str, Any]:
    """A JSON-safe picture of an object's own fields and many-to-many ids."""
    opts = obj._meta
    data: dict[str, Any] = {}
    for f in opts.concrete_fields:
        if f.name in SECRET_FIELDS or f.attname in SECRET_FIELDS:
            continue
        data[f.attname] = f.value_from_object(obj)
    if obj.pk is not None:
        for m2m in opts.many_to_many:
            data[m2m.name] = sorted(m2m.value_from_object(obj), key=lambda o: o.pk)
            data[m2m.name] = [o.pk for o in data[m2m.name]]
    result: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return result


@dataclass
class ChangeContext:
    """The actor, the channel, the request or job id, and the reason of a write."""

    actor: Any = None
    source: str = ObjectChange.Source.SYSTEM
    reason: str = ""
    request_id: str = ""
    job_id: str = ""
    actor_label: str = ""
    changes: list[ObjectChange] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not self.actor_label:
            username = getattr(self.actor, "username", "")
            self.actor_label = username or f"{self.source}"

    @classmethod
    def from_request(cls, request: Any, *, reason: str = "", source: str = "") -> "ChangeContext":
        user = getattr(request, "user", None)
        auth = getattr(request, "auth", None)
        actor = user if user is not None and user.is_authenticated else None
        label = ""
        if actor is None and auth is not None and hasattr(auth, "token_label"):
            label = auth.token_label
        return cls(
            actor=actor,
            source=source or ObjectChange.Source.WEB,
            reason=reason,
            request_id=getattr(request, "id", "") or "",
            actor_label=label,
        )

    @classmethod
    def for_cli(cls, command: str, *, actor: Any = None, reason: str = "") -> "ChangeContext":
        return cls(
            actor=actor,
            source=ObjectChange.Source.CLI,
            reason=reason or f"firstcall {command}",
            request_id=f"cli-{uuid.uuid4().hex[:16]}",
            actor_label=getattr(actor, "username", "") or f"cli:{command}",
        )

    @classmethod
    def for_job(cls, task_name: str, job_id: str = "", *, reason: str = "") -> "ChangeContext":
        return cls(
            source=ObjectChange.Source.TASK,
            reason=reason or task_name,
            job_id=job_id or uuid.uuid4().hex,
            actor_label=f"task:{task_name}",
        )

    def record(
        self,
        obj: models.Model,
        action: str,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> ObjectChange:
        """Write the audit row; `after` defaults to a fresh snapshot unless it is a delete."""
        if after is None and action != ObjectChange.Action.DELETE:
            after = snapshot(obj)
        change = ObjectChange.objects.create(
            time=clock.now(),
            actor=self.actor if getattr(self.actor, "pk", None) else None,
            actor_label=self.actor_label[:150],
            source=self.source,
            request_id=self.request_id,
            job_id=self.job_id,
            reason=self.reason,
            action=action,
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            before=before,
            after=after,
        )
        self.changes.append(change)
        return change
