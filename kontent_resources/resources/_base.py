"""The base of every resource class: a dynamic resource of this package.

Its SDK repairs (kontent_resources/_sdk) are installed when the first one is declared: the
pickler the SDK wraps once per dynamic resource is put back after each of this package's
(``pickler``), and its property Outputs are made when first read (``outputs-on-first-use``).
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import Resource, ResourceProvider

from kontent_resources import _sdk
from kontent_resources._sdk.program import output_on_first_use, restore_pickler
from kontent_resources.providers.claims import RESOURCE_PATH
from kontent_resources.resources._sendable import sendable_props


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

    Its property Outputs are made when first read (``_sdk.program.OutputsOnFirstUse``, unless
    ``KONTENT_SDK_REPAIRS`` turns it off): a program of thousands of assets reads two or three of
    each one's 28.
    """

    outputs_made_on_first_use = True

    def __getattr__(self, name: str) -> Any:
        # Called only for names the instance does not have yet: a property not read before.
        output = output_on_first_use(self, name)
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
        # A value the engine cannot carry would end the program with a message naming nothing.
        props = sendable_props(props)
        _sdk.install("program")  # before the first registration: a program of thousands needs it
        try:
            super().__init__(provider, name, props, opts)
        finally:
            restore_pickler()  # the SDK leaves it wrapped once more per dynamic resource
