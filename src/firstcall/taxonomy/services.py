"""Taxonomy writes: loading the seed tree and changing a phenomenon, each audited."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from firstcall.core.audit import ChangeContext, snapshot
from firstcall.core.errors import ValidationFailed
from firstcall.core.models import ObjectChange
from firstcall.taxonomy.models import ComplaintType, Phenomenon, Scenario, TicketKind

SEED_FILE = Path(__file__).resolve().parent / "seed" / "taxonomy.yaml"

# The seed names no products; these say which of the customer's products a phenomenon concerns
# (the product keys of the unified view). A type's entry wins over its scenario's; empty = any.
SCENARIO_PRODUCTS: dict[str, list[str]] = {
    "MOB": ["mobile"],
    "FBB": ["broadband"],
    "FIX": ["fixed"],
    "IPTV": ["iptv"],
    "TRM": ["mobile"],
}
TYPE_PRODUCTS: dict[str, list[str]] = {
    "MOB-ITSTAR": ["mobile", "broadband"],  # billed to the access account as well
    "FBB-WBB": ["mobile", "broadband"],  # data cards ride the mobile network
    "TRM-HGW": ["broadband", "iptv"],
}

# Keys of the SLA policies a ticket opened for a phenomenon starts with (sla.md part C).
SLA_FAULT_MOBILE = "fault-mobile"  # restore within 48 h at most (MIIT 3G service spec)
SLA_FAULT_FIXED = "fault-fixed"  # per province, pending the 电信服务规范 annex values
SLA_COMPLAINT = "complaint-standard"  # 48 h from acceptance, 60 min to accept
SLA_CONSULT = "consult-standard"

NODE_KEYS = {"id", "zh", "en", "origin", "note", "product_kinds"}
PHENOMENON_KEYS = NODE_KEYS | {"kind", "flow", "parent", "error_code", "sla_policy"}
EDITABLE = ("name_zh", "name_en", "position", "is_active", "kind", "flow", "sla_policy")


class SeedError(ValueError):
    """The seed file does not have the shape the loader expects."""


@dataclass
class SeedResult:
    scenarios: int = 0
    types: int = 0
    phenomena: int = 0


def derive_sla_policy(kind: str, product_kinds: list[str]) -> str:
    if kind == TicketKind.FAULT:
        return SLA_FAULT_MOBILE if "mobile" in product_kinds else SLA_FAULT_FIXED
    if kind == TicketKind.CONSULT:
        return SLA_CONSULT
    return SLA_COMPLAINT


def _check_keys(node: dict[str, Any], allowed: set[str]) -> None:
    extra = set(node) - allowed
    if extra:
        raise SeedError(f"{node.get('id')}: unexpected keys {sorted(extra)}")
    for key in ("id", "zh", "en"):
        if not isinstance(node.get(key), str) or not node[key]:
            raise SeedError(f"{node.get('id')}: {key} must be a non-empty string")


def read_seed(path: Path = SEED_FILE) -> dict[str, Any]:
    """The parsed seed, checked against its own declared counts and key set."""
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    counted = {"scenarios": 0, "complaint_types": 0, "phenomena": 0}
    for scenario in data["scenarios"]:
        _check_keys(scenario, NODE_KEYS | {"types"})
        counted["scenarios"] += 1
        for ctype in scenario["types"]:
            _check_keys(ctype, NODE_KEYS | {"miit", "phenomena"})
            counted["complaint_types"] += 1
            for phenomenon in ctype["phenomena"]:
                _check_keys(phenomenon, PHENOMENON_KEYS)
                if phenomenon["kind"] not in TicketKind.values:
                    raise SeedError(f"{phenomenon['id']}: unknown kind {phenomenon['kind']!r}")
                counted["phenomena"] += 1
    declared = data.get("meta", {}).get("counts", {})
    for key, count in counted.items():
        if key in declared and declared[key] != count:
            raise SeedError(f"{key}: the file declares {declared[key]}, holds {count}")
    return data


def _node_fields(node: dict[str, Any], position: int) -> dict[str, Any]:
    return {
        "name_zh": node["zh"],
        "name_en": node["en"],
        "position": position,
        "origin": node.get("origin", "D"),
    }


def seed_taxonomy(ctx: ChangeContext, path: Path = SEED_FILE) -> SeedResult:
    """Create every scenario, type and phenomenon of the seed whose code does not exist yet.

    Existing rows are left as they are, so an admin's edits survive a re-seed. Positions follow
    the file order (in steps of 10, leaving room to insert by hand).
    """
    data = read_seed(path)
    result = SeedResult()
    scenarios = {s.code: s for s in Scenario.objects.all()}
    types = {t.code: t for t in ComplaintType.objects.all()}
    phenomena = {p.code: p for p in Phenomenon.objects.all()}
    position = 0
    for s_node in data["scenarios"]:
        position += 10
        scenario = scenarios.get(s_node["id"])
        if scenario is None:
            scenario = Scenario.objects.create(code=s_node["id"], **_node_fields(s_node, position))
            ctx.record(scenario, ObjectChange.Action.CREATE)
            scenarios[scenario.code] = scenario
            result.scenarios += 1
        s_products = s_node.get("product_kinds", SCENARIO_PRODUCTS.get(s_node["id"], []))
        for t_node in s_node["types"]:
            position += 10
            ctype = types.get(t_node["id"])
            if ctype is None:
                miit = t_node.get("miit") or {}
                ctype = ComplaintType.objects.create(
                    code=t_node["id"],
                    scenario=scenario,
                    miit_national=miit.get("national_3", ""),
                    miit_provincial=miit.get("provincial_6", ""),
                    **_node_fields(t_node, position),
                )
                ctx.record(ctype, ObjectChange.Action.CREATE)
                types[ctype.code] = ctype
                result.types += 1
            t_products = t_node.get("product_kinds", TYPE_PRODUCTS.get(t_node["id"], s_products))
            for p_node in t_node["phenomena"]:
                position += 10
                if p_node["id"] in phenomena:
                    continue
                phenomenon = _create_phenomenon(ctx, p_node, ctype, t_products, position, phenomena)
                phenomena[phenomenon.code] = phenomenon
                result.phenomena += 1
    return result


def _create_phenomenon(
    ctx: ChangeContext,
    node: dict[str, Any],
    ctype: ComplaintType,
    products: list[str],
    position: int,
    known: dict[str, Phenomenon],
) -> Phenomenon:
    parent = None
    if node.get("parent"):
        parent = known.get(node["parent"])
        if parent is None:
            raise SeedError(f"{node['id']}: parent {node['parent']} must come before it")
    product_kinds = list(node.get("product_kinds", products))
    phenomenon = Phenomenon.objects.create(
        code=node["id"],
        complaint_type=ctype,
        parent=parent,
        kind=node["kind"],
        flow=node.get("flow", ""),
        sla_policy=node.get("sla_policy") or derive_sla_policy(node["kind"], product_kinds),
        product_kinds=product_kinds,
        error_code=str(node.get("error_code", "")),
        **_node_fields(node, position),
    )
    ctx.record(phenomenon, ObjectChange.Action.CREATE)
    return phenomenon


def update_phenomenon(ctx: ChangeContext, phenomenon: Phenomenon, **changes: Any) -> Phenomenon:
    """Change a phenomenon's editable fields; its search text follows its names."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(
            errors={name: [_("This field cannot be changed.")] for name in unknown}
        )
    if "kind" in changes and changes["kind"] not in TicketKind.values:
        raise ValidationFailed(errors={"kind": [_("Unknown ticket kind.")]})
    before = snapshot(phenomenon)
    for name, value in changes.items():
        setattr(phenomenon, name, value)
    phenomenon.save()
    ctx.record(phenomenon, ObjectChange.Action.UPDATE, before=before)
    return phenomenon
