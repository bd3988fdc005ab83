"""Admin handlers about the run time: conditions listing, latency, faults, reset, log."""

import dataclasses
from typing import Any

from firstcall.sandbox.admin_customers import fail
from firstcall.sandbox.conditions import CONDITIONS, HEALTHY, REPAIR_REJECTED
from firstcall.sandbox.config import SYSTEMS
from firstcall.sandbox.core import Sandbox
from firstcall.sandbox.endpoints import Call, Reply
from firstcall.sandbox.faults import updated_fault, updated_latency


def list_conditions(sb: Sandbox, call: Call) -> Reply:
    del call
    rates = sb.assignment.rates
    return Reply(
        200,
        {
            "healthy": HEALTHY,
            "repair_reject_share": sb.assignment.reject_share,
            "conditions": [
                {
                    "name": c.name,
                    "summary": c.summary,
                    "rate": rates.get(c.name, 0.0),
                    "caller_says": c.caller,
                    "branches": list(c.branches),
                    "fixed_by": list(c.fixed_by),
                    "pool": list(c.pool) if c.pool else None,
                }
                for c in (*CONDITIONS, REPAIR_REJECTED)
            ],
        },
    )


def list_systems(sb: Sandbox, call: Call) -> Reply:
    del call
    rt = sb.runtime
    return Reply(
        200,
        {
            "systems": {
                name: {
                    "latency": dataclasses.asdict(rt.latency[name]),
                    "fault": dataclasses.asdict(rt.faults[name]),
                }
                for name in SYSTEMS
            }
        },
    )


def setting(kind: str):
    def handler(sb: Sandbox, call: Call) -> Reply:
        system = call.params["system"]
        if system not in SYSTEMS:
            return fail(404, "UNKNOWN_SYSTEM", f"systems: {', '.join(SYSTEMS)}")
        table: dict[str, Any] = sb.runtime.latency if kind == "latency" else sb.runtime.faults
        if call.body is not None:
            if not isinstance(call.body, dict):
                return fail(400, "BAD_BODY", "body must be a JSON object")
            update = updated_latency if kind == "latency" else updated_fault
            try:
                table[system] = update(table[system], call.body)
            except ValueError as error:
                return fail(422, "BAD_SETTING", str(error))
        return Reply(200, {"system": system, kind: dataclasses.asdict(table[system])})

    return handler


def reset_all(sb: Sandbox, call: Call) -> Reply:
    del call
    sb.store.reset()
    sb.runtime.reset()
    return Reply(200, {"reset": True})


def list_commands(sb: Sandbox, call: Call) -> Reply:
    del call
    return Reply(200, {"state_changes": sb.store.changes, "commands": list(sb.store.log)[:200]})
