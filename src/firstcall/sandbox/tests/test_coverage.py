"""Every branch of every front-line flow can be produced, and the conditions module docstring
says by which condition."""

import os
import re
from pathlib import Path

import pytest

import firstcall.sandbox.conditions as conditions
from firstcall.sandbox.conditions import BY_NAME, CALLER_BRANCHES, HEALTHY_BRANCHES

FRONT_LINE = (
    "F-BB-691",
    "F-BB-678",
    "F-BB-651",
    "F-BB-ERRCODE",
    "F-BB-SLOW",
    "F-BB-DROP",
    "F-BB-WEB",
    "F-MOB-NOCALL",
    "F-MOB-NOSMS",
    "F-MOB-VAS",
    "F-MOB-IROAM",
    "F-MOB-POINTS",
    "F-MOB-ORDER",
    "F-MOB-DATA",
    "F-IPTV-NOPIC",
)
REPO = Path(__file__).resolve().parents[4]
FLOWS = Path(os.environ.get("FIRSTCALL_FLOWS", REPO.parent / "shared" / "domain" / "flows.yaml"))


def documented() -> dict[str, str]:
    """'FLOW STEP: when' -> the names after the dash, from the conditions module docstring."""
    table, flow = {}, ""
    for line in (conditions.__doc__ or "").splitlines():
        if re.fullmatch(r"F-[A-Z0-9-]+", line.strip()):
            flow = line.strip()
        elif match := re.fullmatch(r"    (\S+): (.+) — (.+)", line):
            table[f"{flow} {match.group(1)}: {match.group(2)}"] = match.group(3)
    return table


def branches(text: str) -> list[tuple[str, str, str, str]]:
    """(flow, step, step type, when) for every branch of the front-line flows in flows.yaml."""
    found, flow, step, kind, started = [], "", "", "", False
    for line in text.splitlines():
        started = started or line.startswith("flows:")
        if not started:
            continue
        if match := re.match(r"^  - id: (\S+)", line):
            flow = match.group(1)
        elif match := re.match(r"^      - (?:\{)?id: ([^,\s]+)", line):
            step, kind = match.group(1), ""
        elif match := re.match(r"^        type: (\S+)", line):
            kind = match.group(1)
        elif (match := re.match(r"^          - \{when: (.+), next: \S+\}\s*$", line)) and (
            flow in FRONT_LINE
        ):
            found.append((flow, step, kind, match.group(1).strip().strip('"')))
    return found


def test_the_docstring_names_every_condition_for_each_of_its_branches():
    table = documented()
    for name, cond in BY_NAME.items():
        for branch in cond.branches:
            assert name in table.get(branch, ""), f"{branch} should name {name}"
    for branch in HEALTHY_BRANCHES:
        assert "healthy" in table[branch]
    for branch in CALLER_BRANCHES:
        assert "caller" in table[branch]


@pytest.mark.skipif(not FLOWS.exists(), reason=f"{FLOWS} not available")
def test_every_front_line_branch_is_produced_by_data_or_by_the_caller():
    found = branches(FLOWS.read_text(encoding="utf-8"))
    assert {f for f, *_ in found} == set(FRONT_LINE)
    produced = {b for c in BY_NAME.values() for b in c.branches}
    produced |= set(HEALTHY_BRANCHES) | set(CALLER_BRANCHES)
    every = {f"{flow} {step}: {when}" for flow, step, _, when in found}
    assert produced <= every, f"branches that flows.yaml lacks: {produced - every}"
    missing = [
        f"{flow} {step}: {when}"
        for flow, step, kind, when in found
        if kind not in ("ask", "guide") and f"{flow} {step}: {when}" not in produced
    ]
    assert missing == []
