"""Property values the engine cannot carry, turned into problems ``check`` reports by property.

A program hands its resources' arguments to the Pulumi SDK, which sends them to the engine as
protobuf. Text with a lone surrogate (``"\\udcff"``: bytes decoded with ``errors="surrogateescape"``,
as ``os.listdir`` does for a file name that is not UTF-8) cannot be encoded, and a value of a type
the SDK does not know (a ``set``, a ``Path``) cannot be serialised. Either fails the SDK's
registration of the resource in the background: the program ends with a bare ``UnicodeEncodeError``
or ``ValueError`` that names no resource or property, and every other resource's problem goes unsaid.

So each such value is replaced, before registration, by a marker holding the reason
(``providers.validation.unsendable``); the provider's ``check`` reports it as a failure of that
property, alongside every other resource's failures, as for any other bad input.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
from pulumi import _types

from kontent_resources.providers.validation import unsendable

_ENGINE_TYPES = (pulumi.Output, pulumi.Resource, pulumi.Asset, pulumi.Archive)


def sendable_props(props: Mapping[str, Any]) -> dict[str, Any]:
    """``props`` with every value the engine cannot carry replaced by a marker ``check`` reports."""
    return {key: _sendable_or_marker(value) for key, value in props.items()}


def _sendable_or_marker(value: Any) -> Any:
    problem = problem_of(value, "")
    return value if problem is None else unsendable(problem)


def problem_of(value: Any, where: str) -> str | None:
    """Why ``value`` (at ``where`` inside its property, e.g. ``['en-US']``) cannot be sent, if it cannot."""
    if value is None or isinstance(value, bool | int | float):
        return None
    if isinstance(value, str):
        return _text_problem(value, where)
    if isinstance(value, _ENGINE_TYPES) or inspect.isawaitable(value) or _types.is_input_type(type(value)):
        return None  # resolved by the SDK itself; what they hold is checked once known
    if isinstance(value, Mapping):
        return _mapping_problem(value, where)
    if isinstance(value, Sequence):
        return next((p for i, v in enumerate(value) if (p := problem_of(v, f"{where}[{i}]"))), None)
    return (
        f"{_at(where)}is a {type(value).__name__}, which a Pulumi resource cannot carry: give text, a "
        "number, True/False, a list or a dict, as the argument's documentation says."
    )


def _mapping_problem(value: Mapping[Any, Any], where: str) -> str | None:
    for key, item in value.items():
        if not isinstance(key, str):
            return f"{_at(where)}has the key {key!r}, a {type(key).__name__}: the keys must be text."
        problem = _text_problem(key, where) or problem_of(item, f"{where}[{key!r}]")
        if problem:
            return problem
    return None


def _text_problem(text: str, where: str) -> str | None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return (
            f"{_at(where)}{text!r} holds a lone surrogate ({text[error.start]!r} at position {error.start}), "
            "which is not text Kontent.ai or the stack's state can hold. It comes from bytes decoded with "
            "errors='surrogateescape' (a file name that is not UTF-8, say): give the text as it should read."
        )
    return None


def _at(where: str) -> str:
    return f"the value at {where} " if where else ""
