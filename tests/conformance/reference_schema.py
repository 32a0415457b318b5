"""Request-body schemas of the Management API, read from the reference's endpoint records.

``mapi-v2-endpoints.json`` describes each body parameter with a ``type`` (string, number, boolean,
object, array, nestedSchema), ``modifiers`` (required/optional, nullable/non-nullable) and
``nestedProperties``: an object's properties, or an array's single item schema. A
``nestedSchema`` is a reference to a shared schema the record does not spell out (a reference
object, a folder operation): any JSON value is accepted there.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from tests.reference import ENDPOINTS

_PREFIX = "https://manage.kontent.ai/v2/projects/{environment_id}"

# An identifier path parameter: an internal id, ``codename/<x>`` or ``external-id/<x>``.
_IDENTIFIER = "(?:(?:codename|external-id)/)?[^/]+"

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
}


@dataclass(frozen=True)
class Endpoint:
    method: str
    template: str  # the path after the environment, e.g. ``/assets/{asset_identifier}``
    pattern: re.Pattern[str]
    body: list[dict[str, Any]]

    @property
    def name(self) -> str:
        return f"{self.method} {self.template}"


def load_endpoints() -> list[Endpoint]:
    records = json.loads(ENDPOINTS.read_text(encoding="utf-8"))
    endpoints = []
    for record in records:
        for url in record["endpointUrls"]:
            template = url.removeprefix(_PREFIX)
            regex = re.sub(r"\\\{[a-z_]+\\\}", _IDENTIFIER, re.escape(template))
            method, body = record["httpMethod"].upper(), record["bodyParameters"]
            endpoints.append(Endpoint(method, template, re.compile(f"^{regex}$"), body))
    # A literal segment beats a parameter (``/variants/{language}/publish`` vs ``…/{language}``).
    return sorted(endpoints, key=lambda e: e.template.count("{"))


def endpoint_for(endpoints: list[Endpoint], method: str, path: str) -> Endpoint | None:
    return next((e for e in endpoints if e.method == method and e.pattern.match(path)), None)


def body_problems(endpoint: Endpoint, body: Any) -> list[str]:
    """Every way ``body`` breaks the endpoint's documented body parameters."""
    params = endpoint.body
    if len(params) == 1 and params[0]["name"] == "":  # the body itself is the one unnamed parameter
        return _value_problems(params[0], body, "$")
    return _object_problems(params, body, "$")


def _object_problems(params: list[dict[str, Any]], value: Any, path: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{path}: expected an object, got {type(value).__name__}"]
    documented = {p["name"]: p for p in params}
    problems = [f"{path}.{key}: not a documented property" for key in value if key not in documented]
    for name, param in documented.items():
        if name not in value:
            if "required" in param["modifiers"]:
                problems.append(f"{path}.{name}: required but missing")
            continue
        problems.extend(_value_problems(param, value[name], f"{path}.{name}"))
    return problems


def _value_problems(param: dict[str, Any], value: Any, path: str) -> list[str]:
    kind = param["type"]
    if value is None:
        return [] if "nullable" in param["modifiers"] else [f"{path}: null, but the property is non-nullable"]
    if kind == "nestedSchema":
        return []
    expected = _JSON_TYPES[kind]
    if not isinstance(value, expected) or (kind == "number" and isinstance(value, bool)):
        return [f"{path}: expected {kind}, got {type(value).__name__} {value!r}"]
    nested = param["nestedProperties"]
    if kind == "object" and nested:
        return _object_problems(nested, value, path)
    if kind == "array" and nested and isinstance(value, list):  # always a list here: _JSON_TYPES["array"]
        item_schema = nested[0]
        return [p for i, item in enumerate(value) for p in _value_problems(item_schema, item, f"{path}[{i}]")]
    return []
