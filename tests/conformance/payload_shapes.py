"""Shapes of JSON documents: inferred from real payloads, then used to check emulator responses.

A shape records, per position in the document, which JSON types occur and, for objects,
which keys occur (union over samples) and which are always present (intersection).
Several payloads of one endpoint (JS and .NET SDK recordings, list items) merge into one
shape, so heterogeneous lists such as variant elements are compared key by key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.reference import PAYLOADS


def load_payload(relative: str) -> Any:
    # Some .NET recordings start with a UTF-8 BOM.
    return json.loads((PAYLOADS / relative).read_text(encoding="utf-8-sig"))


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


@dataclass
class Shape:
    types: set[str] = field(default_factory=set)
    keys: dict[str, Shape] = field(default_factory=dict)
    required: set[str] | None = None
    items: Shape | None = None

    def merge(self, value: Any) -> Shape:
        kind = json_type(value)
        self.types.add(kind)
        if kind == "object":
            for key, child in value.items():
                self.keys.setdefault(key, Shape()).merge(child)
            present = set(value)
            self.required = present if self.required is None else self.required & present
        elif kind == "array":
            for item in value:
                self.items = (self.items or Shape()).merge(item)
        return self


def shape_of(*samples: Any) -> Shape:
    shape = Shape()
    for sample in samples:
        shape.merge(sample)
    return shape


@dataclass(frozen=True)
class Allowances:
    """Documented differences: keys the payloads may lack, keys that may be null, keys that may be absent."""

    extra: frozenset[str] = frozenset()
    nullable: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()


def problems(actual: Any, shape: Shape, allow: Allowances = Allowances(), path: str = "$") -> list[str]:
    """Every way ``actual`` deviates from ``shape`` (an empty list means: same keys and JSON types)."""
    kind = json_type(actual)
    key = path.rsplit(".", 1)[-1].split("[")[0]
    if kind == "null" and ("null" in shape.types or key in allow.nullable):
        return []
    if shape.types == {"null"}:
        return []  # only ever recorded as null: the payloads say nothing about its type
    if kind not in shape.types:
        return [f"{path}: {kind}, expected {sorted(shape.types)}"]
    if kind == "object":
        return _object_problems(actual, shape, allow, path)
    if kind == "array" and shape.items is not None:
        return [
            p for i, item in enumerate(actual) for p in problems(item, shape.items, allow, f"{path}[{i}]")
        ]
    return []


def _object_problems(actual: dict[str, Any], shape: Shape, allow: Allowances, path: str) -> list[str]:
    found: list[str] = []
    for key, value in actual.items():
        if key in shape.keys:
            found += problems(value, shape.keys[key], allow, f"{path}.{key}")
        elif key not in allow.extra:
            found.append(f"{path}.{key}: not in the real payloads")
    missing = (shape.required or set()) - set(actual) - allow.optional
    found += [f"{path}.{key}: missing" for key in sorted(missing)]
    return found
