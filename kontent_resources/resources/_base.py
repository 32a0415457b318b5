"""The base of every resource class: a dynamic resource that leaves Python's pickler as it found it.

Pulumi's ``serialize_provider`` (3.216 through 3.272 at least; tests/unit/test_pickler_repair.py
checks the installed SDK still does it) swaps ``pickle._Pickler._batch_setitems`` for a sorting
wrapper of the *current* method and never puts it back, so each dynamic resource built in one
process wraps the previous wrapper. Around a thousand resources in one program (or fewer across the
runs of a long-lived Automation API process) end in ``RecursionError``. Restoring the original after
each resource keeps the wrapping one level deep.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import pulumi
from pulumi.dynamic import Resource, ResourceProvider

from kontent_resources.providers.claims import RESOURCE_PATH
from kontent_resources.resources import _sdk_scale


def _unwrap(method: Callable[..., Any]) -> Callable[..., Any]:
    """Follow the wrappers' closures back to the standard library's own method."""
    seen = 0
    while getattr(method, "__module__", "pickle") != "pickle" and seen < 10_000:
        cells = [
            c.cell_contents for c in getattr(method, "__closure__", None) or () if callable(c.cell_contents)
        ]
        if not cells:
            break
        method, seen = cells[0], seen + 1
    return method


_ORIGINAL_BATCH_SETITEMS = _unwrap(pickle._Pickler._batch_setitems)  # type: ignore[attr-defined]


def restore_pickler() -> None:
    pickle._Pickler._batch_setitems = _ORIGINAL_BATCH_SETITEMS  # type: ignore[attr-defined]


def urn_path(type_token: str, resource_name: str, opts: pulumi.ResourceOptions | None) -> str:
    """``[<parent type>$]<type>::<name>``: the tail of the resource's URN.

    A component parent's type is part of it, so a resource moved into a component without an
    alias is a new resource with a new generated id, not a second claim on the old object. It is
    read from the parent object, not its ``urn`` output: a component's outputs wait for its
    children, so depending on them would be a cycle.
    """
    parent = opts.parent if opts else None
    parent_type = getattr(parent, "_type", None) if parent is not None else None
    if not isinstance(parent_type, str) or parent_type == "pulumi:pulumi:Stack":
        return f"{type_token}::{resource_name}"
    return f"{parent_type}${type_token}::{resource_name}"


class KontentResource(Resource):
    """A dynamic resource of this package (subclasses pass ``module=`` and ``name=``).

    Its property Outputs are made when first read (``_sdk_scale.OutputsOnFirstUse``): a program of
    thousands of assets reads two or three of each one's 28.
    """

    outputs_made_on_first_use = True

    def __getattr__(self, name: str) -> Any:
        # Called only for names the instance does not have yet: a property not read before.
        output = _sdk_scale.output_on_first_use(self, name)
        if output is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return output

    @classmethod
    def type_token(cls) -> str:
        """The type in this resource's URN, as the dynamic provider SDK registers it."""
        return f"pulumi-python:{cls._resource_type_name}"

    def __init__(
        self,
        provider: ResourceProvider,
        name: str,
        props: dict[str, Any],
        opts: pulumi.ResourceOptions | None,
    ) -> None:
        # Which resource this is, for the provider's record of who manages which object.
        props = {**props, RESOURCE_PATH: urn_path(self.type_token(), name, opts)}
        _sdk_scale.install()  # before the first registration: a program of thousands needs it
        try:
            super().__init__(provider, name, props, opts)
        finally:
            restore_pickler()
