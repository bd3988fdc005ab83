"""Registry writes: back-end systems are configuration as data, audited like any other write."""

import os
from typing import Any

from django.utils.translation import gettext as _

from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.errors import ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.core.scope import require_everywhere
from firstcall.integrations import registry
from firstcall.integrations.models import BackendSystem, SystemKind

EDITABLE = (
    "title",
    "base_url",
    "timeout_ms",
    "retries",
    "failure_threshold",
    "open_seconds",
    "enabled",
)


def _validate(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    url = str(values.get("base_url", ""))
    if "base_url" in values and not url.startswith(("http://", "https://")):
        errors["base_url"] = [_("Enter an http:// or https:// address.")]
    timeout = values.get("timeout_ms")
    if timeout is not None and not 10 <= int(timeout) <= 60000:
        errors["timeout_ms"] = [_("The timeout must lie between 10 and 60000 ms.")]
    retries = values.get("retries")
    if retries is not None and not 0 <= int(retries) <= 5:
        errors["retries"] = [_("Retries must lie between 0 and 5.")]
    if errors:
        raise ValidationFailed(errors=errors)


def create_system(
    ctx: ChangeContext,
    *,
    name: str,
    kind: str,
    title: str,
    base_url: str,
    credentials: dict[str, Any] | None = None,
    **options: Any,
) -> BackendSystem:
    if kind not in SystemKind.values:
        raise ValidationFailed(errors={"kind": [_("Unknown kind.")]})
    if BackendSystem.objects.filter(name=name).exists():
        raise ValidationFailed(errors={"name": [_("A system with this name already exists.")]})
    _validate({"base_url": base_url, **options})
    system = BackendSystem.objects.create(
        name=name,
        kind=kind,
        title=title,
        base_url=base_url,
        credentials=credentials or {},
        **{k: v for k, v in options.items() if k in EDITABLE},
    )
    ctx.record(system, ObjectChange.Action.CREATE)
    registry.forget_configs()
    return system


def update_system(
    ctx: ChangeContext,
    system: BackendSystem,
    *,
    credentials: dict[str, Any] | None = None,
    **changes: Any,
) -> BackendSystem:
    """Change a system's settings; `credentials=None` keeps the stored (write-only) ones. The
    addresses and credentials are headquarters' to change: a person needs the permission over
    every unit (commands and jobs without a person are the operator's own)."""
    if ctx.actor is not None:
        require_everywhere(ctx.actor, "integrations.change_backendsystem")
    _validate(changes)
    before = snapshot(system)
    for name, value in changes.items():
        if name in EDITABLE:
            setattr(system, name, value)
    if credentials is not None:
        system.credentials = credentials
    system.save()
    after = snapshot(system)
    if credentials is not None:
        after["credentials_changed"] = True
    ctx.record(system, ObjectChange.Action.UPDATE, before=before, after=after)
    registry.forget_configs()
    return system


# (registry name, kind, title, the sandbox's URL prefix for that system)
SANDBOX_SYSTEMS = [
    ("crm", SystemKind.CRM, "CRM", "crm"),
    ("billing", SystemKind.BILLING, "计费系统", "billing"),
    ("ocs", SystemKind.OCS, "OCS 在线计费", "ocs"),
    ("hlr", SystemKind.HLR, "HLR", "hlr"),
    ("aaa", SystemKind.AAA, "AAA 认证", "aaa"),
    ("nms", SystemKind.NMS, "接入网网管", "nms"),
    ("resources", SystemKind.RESOURCES, "资源系统", "res"),
    ("alarms", SystemKind.ALARMS, "告警系统", "alarm"),
    ("provisioning", SystemKind.PROVISIONING, "服务开通", "sps"),
    ("smsc", SystemKind.SMSC, "短信中心", "smsc"),
    ("vas", SystemKind.VAS, "增值业务平台", "vas"),
    ("iptv", SystemKind.IPTV, "IPTV 平台", "iptv"),
    ("pcrf", SystemKind.PCRF, "PCRF", "pcrf"),
    ("points", SystemKind.POINTS, "积分系统", "points"),
    ("gis", SystemKind.GIS, "覆盖查询（GIS）", "gis"),
]


def sandbox_url() -> str:
    return os.environ.get("FIRSTCALL_SANDBOX_URL", "http://127.0.0.1:8100").rstrip("/")


def seed_sandbox_systems(ctx: ChangeContext) -> None:
    """Register the sandbox's systems (once); the base URL comes from FIRSTCALL_SANDBOX_URL."""
    for name, kind, title, prefix in SANDBOX_SYSTEMS:
        if not BackendSystem.objects.filter(name=name).exists():
            create_system(
                ctx,
                name=name,
                kind=kind,
                title=title,
                base_url=f"{sandbox_url()}/{prefix}",
                credentials={"api_key": f"sandbox-{name}"},
            )
