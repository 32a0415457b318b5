"""``Rendition``: a crop of an image asset resized to a custom size."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pulumi

from kontent_resources import models
from kontent_resources.providers.rendition import RenditionProvider
from kontent_resources.resources._base import KontentResource
from kontent_resources.resources._identity import claim, identity_inputs
from kontent_resources.resources._lookup import lookup
from kontent_resources.resources.asset import Asset


@dataclass(frozen=True)
class Transformation:
    """Crop the rectangle (``x``, ``y``, ``width``, ``height``) and resize it to
    ``custom_width`` x ``custom_height`` (mode ``rect``, fit ``clip``: no upscaling)."""

    x: int
    y: int
    width: int
    height: int
    custom_width: int
    custom_height: int


class Rendition(KontentResource, module="kontent", name="Rendition"):
    """A rendition of an image asset.

    A new transformation updates it in place; a new asset or external id replaces it. The API
    cannot delete renditions: removing one from the program forgets it with a warning, and it
    lives on until its asset is deleted.

    Outputs: ``id`` (the rendition id), ``asset_id``, ``transformation``, ``external_id``,
    ``last_modified``.
    """

    asset_id: pulumi.Output[str]
    external_id: pulumi.Output[str]
    transformation: pulumi.Output[dict[str, int]]
    last_modified: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        asset: Asset | pulumi.Input[str],
        transformation: Transformation,
        external_id: pulumi.Input[str] | None = None,
        adopt: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """
        :param asset: an ``Asset`` (its local image lets preview check the rectangle), its ``id``,
            or ``external-id/<x>`` of an existing asset.
        :param transformation: the crop rectangle and output size.
        :param external_id: generated when omitted: unique to this stack's state, kept through renames.
        :param adopt: manage an existing rendition that already has ``external_id``.
        """
        image = asset.local_image_size if isinstance(asset, Asset) else None
        if external_id is not None:
            claim("Rendition", "external_id", [external_id], self, resource_name)
        props: dict[str, Any] = {
            "asset": asset.id if isinstance(asset, Asset) else asset,
            "transformation": asdict(transformation)
            if isinstance(transformation, Transformation)
            else transformation,
            **identity_inputs(self.type_token(), resource_name, external_id, opts),
            "adopt": adopt,
            "image_width": image.width if image else None,
            "image_height": image.height if image else None,
            "asset_id": None,
            "last_modified": None,
        }
        super().__init__(RenditionProvider(), resource_name, props, opts)

    @staticmethod
    def lookup(asset: str, ref: str) -> pulumi.Output[models.Rendition]:
        """An existing rendition as data; ``ref`` is its id or ``external-id/<x>``."""
        what = f"Rendition.lookup({asset!r}, {ref!r})"
        return lookup(what, lambda client: client.renditions.get(asset, ref))
