"""Conventions for the property bags that flow between resources, providers and the state.

Outputs hold the API's view of the object at top level, plus ``_inputs``: the inputs that were
last applied. ``diff`` compares new inputs against ``_inputs`` (so API-generated values such as a
codename never look like changes), and ``read`` edits ``_inputs`` where it finds drift, so the
next ``up`` puts the declared value back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi.dynamic import DiffResult

from kontent_resources.providers.validation import is_unknown

APPLIED = "_inputs"


def applied(outs: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs recorded with ``outs`` (empty for state written by something else)."""
    value = outs.get(APPLIED)
    return dict(value) if isinstance(value, Mapping) else {}


def with_applied(outs: dict[str, Any], inputs: Mapping[str, Any]) -> dict[str, Any]:
    """``outs`` plus the inputs that produced them, minus the provider's bookkeeping keys."""
    return {**outs, APPLIED: {k: v for k, v in inputs.items() if not k.startswith("__")}}


def changed_keys(
    olds: Mapping[str, Any], news: Mapping[str, Any], keys: Iterable[str], *, api_chooses: Iterable[str] = ()
) -> list[str]:
    """Keys whose new value differs from the applied one; unknown values count as changed.

    For ``api_chooses`` keys (a codename) no value means "let the API choose", so dropping one
    is no change: the object keeps what it has.
    """
    before = applied(olds)
    optional = set(api_chooses)
    return [
        k
        for k in keys
        if is_unknown(news.get(k))
        or (before.get(k) != news.get(k) and not (k in optional and news.get(k) is None))
    ]


def diff_result(changes: list[str], replace_on: Iterable[str], *, delete_first: bool = False) -> DiffResult:
    replaces = [k for k in changes if k in set(replace_on)]
    return DiffResult(
        changes=bool(changes),
        replaces=replaces,
        stables=[],
        delete_before_replace=delete_first and bool(replaces),
    )
