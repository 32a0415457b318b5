"""``AssetSet``: many assets as one resource (``providers/asset_set.py`` says why and how)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pulumi

from kontent_resources.providers.asset_set import (
    MEMBER_ID,
    MEMBER_VALUES,
    MEMBERS,
    VALUE_REF,
    AssetSetProvider,
    encode_member,
    in_buckets,
)
from kontent_resources.resources._base import KontentResource
from kontent_resources.resources._sendable import sendable_props


class AssetSet(KontentResource, module="kontent", name="AssetSet"):
    """Assets managed as one resource: ``members`` maps a stable key to an asset's inputs.

    Build the inputs with ``resources.asset.asset_inputs``, the very inputs an ``Asset`` would
    declare: a member is checked, created, updated, adopted, refreshed and deleted by the
    ``Asset`` provider's own code, with the external id that ``Asset`` would generate.
    ``AssetDirectory(..., one_resource=True)`` declares one; programs rarely need it directly.

    Why: with a file or S3 backend the engine writes the whole state twice per created resource;
    one ``AssetSet`` is written twice for all of its members. Members are written 16 at a time
    within the client's rate limits, and stored in 256 buckets by a hash of their key, each as one
    JSON text (the engine's cost grows with the number of values it holds). The preview shows one
    line; ``pulumi preview --diff`` names each changed member and property.

    Outputs: ``members`` (bucket → key → the member's outputs as JSON text: an ``Asset``'s
    outputs, with its ``id``; ``ids`` and ``member_field`` give them by key, decoded).

    Errors: each member fails as its ``Asset`` would (same messages, naming the member). A
    member that fails fails the set's step after the other members are done; the error lists
    every failed member with its own error, the state keeps what it held before the run, and the
    next ``up`` does again what the failed run did without duplicating anything.
    """

    members: pulumi.Output[dict[str, dict[str, str]]]
    """Bucket → member key → that member's outputs as JSON text (an ``Asset``'s, with its ``id``)."""

    def __init__(
        self,
        resource_name: str,
        members: Mapping[str, dict[str, Any]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """
        :param resource_name: the resource's name in the stack.
        :param members: stable key (a path, say) → the inputs ``asset_inputs`` returns for it.
            Renaming a key makes a new member: keep keys stable.
        :param opts: Pulumi resource options.
        """
        values = _OutputValues()
        # Checked as any resource's props are, so a value the engine cannot carry is reported by
        # check as a failure of that member's property.
        encoded = {
            key: encode_member(values.referred(sendable_props(inputs))) for key, inputs in members.items()
        }
        props = {MEMBERS: in_buckets(encoded), MEMBER_VALUES: values.sent}
        super().__init__(AssetSetProvider(), resource_name, props, opts)

    def member_field(self, field: str) -> pulumi.Output[dict[str, Any]]:
        """Key → one output of each member, e.g. ``member_field("url")``."""
        return self.members.apply(
            lambda buckets: {
                key: json.loads(member).get(field) if isinstance(member, str) else member.get(field)
                for bucket in (buckets or {}).values()
                for key, member in (bucket or {}).items()
                if member
            }
        )

    @property
    def ids(self) -> pulumi.Output[dict[str, Any]]:
        """Key → asset id."""
        return self.member_field(MEMBER_ID)


class _OutputValues:
    """The Outputs in members' inputs, each sent once in ``member_values``; members refer to them
    by index (an AssetDirectory's thousands of members share the seed and a few folders)."""

    def __init__(self) -> None:
        self.sent: list[Any] = []
        self._index: dict[int, int] = {}

    def referred(self, value: Any) -> Any:
        """``value`` with every Output (at any depth) replaced by a reference to ``sent``."""
        if value is None or isinstance(value, str | bool | int | float):
            return value
        if isinstance(value, Mapping):
            return {k: self.referred(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.referred(v) for v in value]
        # An Output, or anything else the SDK resolves or check reports: sent as it is.
        index = self._index.setdefault(id(value), len(self.sent))
        if index == len(self.sent):
            self.sent.append(value)
        return {VALUE_REF: index}
