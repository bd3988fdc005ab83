"""JSON Schema inferred from real responses, merged over many samples.

A field seen with several types gets them all (`["string", "null"]`), a key missing from some
samples is optional, integers and floats merge to number. Samples cover every condition, so the
schema covers every shape the sandbox can answer with.
"""

from typing import Any

TYPE_ORDER = ("object", "array", "string", "number", "integer", "boolean", "null")


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def infer(values: list[Any]) -> dict[str, Any]:
    if not values:
        return {}
    types = {json_type(v) for v in values}
    if {"integer", "number"} <= types:
        types.discard("integer")
    schema: dict[str, Any] = {}
    ordered = [t for t in TYPE_ORDER if t in types]
    schema["type"] = ordered[0] if len(ordered) == 1 else ordered
    objects = [v for v in values if isinstance(v, dict)]
    if objects:
        keys: dict[str, None] = {}
        for obj in objects:
            keys.update(dict.fromkeys(obj))
        schema["properties"] = {k: infer([o[k] for o in objects if k in o]) for k in keys}
        required = [k for k in keys if all(k in o for o in objects)]
        if required:
            schema["required"] = required
    arrays = [v for v in values if isinstance(v, list)]
    if arrays:
        schema["items"] = infer([item for array in arrays for item in array])
    return schema
