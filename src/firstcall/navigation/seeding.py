"""The seeded front-line flows: one YAML file per flow in `seed/`, FirstCall's own structure (the
worded branches of the domain material turned into conditions over facts), written to BPMN."""

from pathlib import Path
from typing import Any

import yaml

from firstcall.navigation.spec import STEP_ATTRS, Branch, FlowSpec, Step

SEED_DIR = Path(__file__).parent / "seed"
STEP_FIELDS = STEP_ATTRS  # a seed file's step keys are the BPMN step's fc: attributes


def _step(raw: dict[str, Any]) -> Step:
    step = Step(id=str(raw["id"]), kind=str(raw["kind"]), name=str(raw.get("name") or raw["id"]))
    for name in STEP_FIELDS:
        setattr(step, name, str(raw.get(name) or ""))
    step.facts = list(raw.get("facts") or [])
    for b in raw.get("branches") or []:
        step.branches.append(
            Branch(
                target=str(b["to"]),
                condition=str(b.get("when") or ""),
                label=str(b.get("label") or ""),
                answer=str(b.get("answer") or ""),
                label_en=str(b.get("label_en") or ""),
            )
        )
    return step


def load(path: Path) -> tuple[FlowSpec, dict[str, Any]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = {s.id: s for s in (_step(r) for r in raw["steps"])}
    spec = FlowSpec(
        code=raw["code"],
        name=raw["name"],
        entry=raw["entry"],
        steps=steps,
        name_en=str(raw.get("name_en") or ""),
    )
    meta = {
        "name_zh": raw["name"],
        "name_en": raw.get("name_en", ""),
        "phenomena": list(raw.get("phenomena") or []),
    }
    return spec, meta


def seed_files() -> list[Path]:
    return sorted(SEED_DIR.glob("*.yaml"))
