"""Conventions for the property bags that flow between resources, providers and the state.

Outputs hold the API's view of the object at top level, plus the inputs that were last applied
(``applied``). ``diff`` compares new inputs against those (so API-generated values such as a
codename never look like changes), and ``read`` edits them where it finds drift, so the next
``up`` puts the declared value back.

The engine writes the state of every resource after every step of a run (the standard CLI's
default), so each byte per resource costs N writes. The applied inputs are therefore stored once:
``_inputs`` holds those whose value differs from the output of the same name (or that have none),
and ``_same_inputs`` names those equal to their output, read back from it. State written before
(a whole copy in ``_inputs``, no ``_same_inputs``) reads the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi.dynamic import DiffResult

from kontent_resources.providers.validation import is_unknown

APPLIED = "_inputs"
SAME = "_same_inputs"


def applied(outs: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs recorded with ``outs`` (empty for state written by something else)."""
    value = outs.get(APPLIED)
    same = outs.get(SAME)
    recorded = dict(value) if isinstance(value, Mapping) else {}
    if isinstance(same, list):
        recorded = {**{k: outs[k] for k in same if isinstance(k, str) and k in outs}, **recorded}
    return recorded


def with_applied(outs: dict[str, Any], inputs: Mapping[str, Any]) -> dict[str, Any]:
    """``outs`` plus the inputs that produced them, minus the provider's bookkeeping keys.

    An input equal to the output of its name, of the same type, is named in ``SAME`` instead of
    stored twice; ``None`` values stay in ``APPLIED``, where the engine's serialization drops them
    (absent and ``None`` read the same).
    """
    kept = {k: v for k, v in inputs.items() if not k.startswith("__")}
    same = sorted(
        k
        for k, v in kept.items()
        if v is not None and k in outs and type(outs[k]) is type(v) and outs[k] == v
    )
    result = {**outs, APPLIED: {k: v for k, v in kept.items() if k not in same}}
    if same:
        result[SAME] = same
    return result


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
