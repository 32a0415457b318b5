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
    declare: a member is created, updated, adopted, refreshed and deleted as that ``Asset`` would
    be. ``AssetDirectory(..., one_resource=True)`` declares one; programs rarely need it directly.

    Outputs: ``members`` (bucket → key → the member's outputs, as an ``Asset``'s, with its ``id``;
    ``ids`` and ``member_field`` give them by key).
    """

    members: pulumi.Output[dict[str, dict[str, dict[str, Any]]]]

    def __init__(
        self,
        resource_name: str,
        members: Mapping[str, dict[str, Any]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
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
