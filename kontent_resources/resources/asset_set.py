"""``AssetSet``: many assets as one resource (``providers/asset_set.py`` says why and how)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from kontent_resources.providers.asset_set import MEMBER_ID, MEMBERS, AssetSetProvider, in_buckets
from kontent_resources.providers.claims import RESOURCE_PATH
from kontent_resources.resources._base import KontentResource, urn_path


class AssetSet(KontentResource, module="kontent", name="AssetSet"):
    """Assets managed as one resource: ``members`` maps a stable key to an asset's inputs.

    Build the inputs with ``resources.asset.asset_inputs``, the very inputs an ``Asset`` would
    declare: a member is checked, created, updated, adopted, refreshed and deleted by the
    ``Asset`` provider's own code, with the external id that ``Asset`` would generate.
    ``AssetDirectory(..., one_resource=True)`` declares one; programs rarely need it directly.

    Why: with a file or S3 backend the engine writes the whole state twice per created resource;
    one ``AssetSet`` is written twice for all of its members. Members are written 16 at a time
    within the client's rate limits, and stored in 256 buckets by a hash of their key. The
    preview shows one line; ``pulumi preview --diff`` names each changed member and property.

    Outputs: ``members`` (bucket → key → the member's outputs, as an ``Asset``'s, with its
    ``id``; ``ids`` and ``member_field`` give them by key).

    Errors: each member fails as its ``Asset`` would (same messages, naming the member). A
    member that fails fails the set's step after the other members are done; the error lists
    every failed member with its own error, the state keeps what it held before the run, and the
    next ``up`` does again what the failed run did without duplicating anything.
    """

    members: pulumi.Output[dict[str, dict[str, dict[str, Any]]]]
    """Bucket → member key → that member's outputs (an ``Asset``'s outputs, with its ``id``)."""

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
        # Each member is its own resource in the provider's record of who manages which object, so
        # an Asset that left the state for this set leaves its asset to the member that kept it.
        path = urn_path(self.type_token(), resource_name, opts)
        tagged = {key: {**inputs, RESOURCE_PATH: f"{path}[{key}]"} for key, inputs in members.items()}
        super().__init__(AssetSetProvider(), resource_name, {MEMBERS: in_buckets(tagged)}, opts)

    def member_field(self, field: str) -> pulumi.Output[dict[str, Any]]:
        """Key → one output of each member, e.g. ``member_field("url")``."""
        return self.members.apply(
            lambda buckets: {
                key: member.get(field)
                for bucket in (buckets or {}).values()
                for key, member in (bucket or {}).items()
                if member
            }
        )

    @property
    def ids(self) -> pulumi.Output[dict[str, Any]]:
        """Key → asset id."""
        return self.member_field(MEMBER_ID)
