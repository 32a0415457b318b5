"""``Rendition``: a crop of an image asset resized to a custom size."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi

from kontent_resources import models
from kontent_resources.models import Transformation
from kontent_resources.models.renditions import TRANSFORMATION_FIELDS, TransformationRequest
from kontent_resources.providers.inputs import RenditionInputs
from kontent_resources.providers.rendition import RenditionProvider
from kontent_resources.providers.validation import unsendable
from kontent_resources.resources._base import KontentResource
from kontent_resources.resources._identity import claim_identity, identity_inputs
from kontent_resources.resources._lookup import lookup
from kontent_resources.resources.asset import Asset


class Rendition(KontentResource, module="kontent", name="Rendition"):
    """A rendition of an image asset: a rectangle of it, resized to a custom size.

    A new transformation updates it in place; a new asset or external id replaces it. The API
    cannot delete renditions: removing one from the program forgets it with a warning ("the
    Management API cannot delete renditions"), and it lives on until its asset is deleted (no
    warning when its asset, an ``Asset`` of the stack, is deleted in the same run).

    Outputs: ``id`` (the rendition id), ``asset_id``, ``transformation``, ``external_id``,
    ``last_modified``.

    Errors (at preview when the program or the environment's answers can tell, otherwise at
    ``up`` before anything is written; each names the property and its fix): a transformation
    that is not the six whole numbers, falls outside the image, or upscales ("does not
    upscale"), an asset that is not an image, an ``asset`` given as ``codename/<x>`` or one the
    environment does not have, an ``adopt_id`` that is no rendition of the asset, adopting another
    stack's rendition without ``take_over``, an external id that exists without ``adopt=True``,
    and the API's errors (401, 403, 404, 429, 5xx). Every message and its fix: the
    troubleshooting page.
    """

    asset_id: pulumi.Output[str]
    """Internal id of the rendition's asset."""
    external_id: pulumi.Output[str]
    """The given external id, or the generated ``pulumi:rendition:…`` one (unique to this stack)."""
    transformation: pulumi.Output[dict[str, int]]
    """The six numbers as the API holds them: ``x``, ``y``, ``width``, ``height``,
    ``custom_width``, ``custom_height``."""
    last_modified: pulumi.Output[str]
    """When the API last changed the rendition (ISO 8601)."""

    def __init__(
        self,
        resource_name: str,
        *,
        asset: Asset | pulumi.Input[str],
        transformation: Transformation | TransformationRequest | Mapping[str, int],
        external_id: pulumi.Input[str] | None = None,
        adopt: bool = False,
        adopt_id: str | None = None,
        take_over: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """
        :param resource_name: the resource's name, unique in the stack for its type (part of its URN).
        :param asset: an ``Asset`` (its local image lets preview check the rectangle), its ``id``,
            or ``external-id/<x>`` of an existing asset.
        :param transformation: the crop rectangle and output size: a ``Transformation(x, y, width,
            height, custom_width, custom_height)`` (or a mapping of those six whole numbers).
        :param external_id: generated when omitted: unique to this stack's state, kept through renames.
        :param adopt: manage an existing rendition that already has ``external_id``.
        :param adopt_id: manage the asset's existing rendition with this id (for one without an
            external id); modified only if its transformation differs.
        :param take_over: with ``adopt``/``adopt_id``, adopt even a rendition another stack of
            kontent_resources made (its generated external id names that stack). Set it only after
            that stack let go of it (docs: "Adopting and importing"); without it, adopting
            another stack's rendition fails the preview.
        :param opts: Pulumi resource options (``parent``, ``aliases``, ``retain_on_delete`` …).
        :raises DuplicateResourceError: when another ``Rendition`` of the program already declares
            the same ``external_id`` or ``adopt_id`` (as the program runs: the preview fails).
        """
        image = asset.local_image_size if isinstance(asset, Asset) else None
        claim_identity("Rendition", self, resource_name, external_id=external_id, adopt_id=adopt_id)
        props = RenditionInputs.props(
            asset=asset.id if isinstance(asset, Asset) else asset,
            transformation=_transformation_inputs(transformation),
            **identity_inputs(
                self.type_token(), resource_name, external_id, opts, adopt, adopt_id, take_over
            ),
            image_width=image.width if image else None,
            image_height=image.height if image else None,
            # False when the Asset's local file is known not to be an image (a PDF, an SVG).
            source_is_image=asset.local_is_image if isinstance(asset, Asset) else None,
            asset_in_stack=isinstance(asset, Asset),
        )
        super().__init__(RenditionProvider(), resource_name, props, opts)

    @staticmethod
    def lookup(asset: str, ref: str) -> pulumi.Output[models.Rendition]:
        """An existing rendition as data; ``ref`` is its id or ``external-id/<x>``."""
        return lookup(
            f"Rendition.lookup({asset!r}, {ref!r})", lambda client: client.renditions.get(asset, ref)
        )


def _transformation_inputs(transformation: object) -> object:
    """The six numbers, whichever of the documented forms holds them (the engine's serialiser
    takes no pydantic model or dataclass)."""
    if isinstance(transformation, Transformation):  # also a rendition's, as the client read it
        return transformation.as_dict()
    if isinstance(transformation, TransformationRequest):
        return transformation.model_dump(include=set(TRANSFORMATION_FIELDS))
    if isinstance(transformation, Mapping):
        return dict(transformation)
    # Reported by check, with every other resource's problems, rather than ending the program here.
    return unsendable(
        "must be a kontent_resources.Transformation(x=…, y=…, width=…, height=…, custom_width=…, "
        f"custom_height=…), not {type(transformation).__name__}."
    )
