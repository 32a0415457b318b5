"""``VariantAssetLink``: put an asset into an asset element of a content item's language variant."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi

from kontent_resources import models
from kontent_resources.providers.variant_link import VariantAssetLinkProvider
from kontent_resources.resources._base import KontentResource
from kontent_resources.resources._identity import claim
from kontent_resources.resources._lookup import lookup
from kontent_resources.resources.asset import Asset


class VariantAssetLink(KontentResource, module="kontent", name="VariantAssetLink"):
    """One reference to ``asset`` in the ``element`` of ``item`` in ``language``.

    Only this reference is managed: other assets in the element are kept. A published variant
    gets a new version first (Kontent.ai does not edit published content) and, with
    ``publish=True``, is published again afterwards. Removing the link removes just this reference.

    Outputs: ``id`` (item/language/element/asset), ``item_id``, ``language_id``, ``element_id``,
    ``asset_id``, ``variant_state`` ("draft" or "published").
    """

    item_id: pulumi.Output[str]
    language_id: pulumi.Output[str]
    element_id: pulumi.Output[str]
    asset_id: pulumi.Output[str]
    variant_state: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        item: pulumi.Input[str],
        language: pulumi.Input[str],
        element: str,
        asset: Asset | pulumi.Input[str],
        renditions: Sequence[pulumi.Input[str]] | None = None,
        publish: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """
        :param item: the content item: id, ``codename/x`` or ``external-id/x``.
        :param language: the language: id or ``codename/en-US``.
        :param element: codename of an asset element of the item's content type.
        :param asset: an ``Asset``, its ``id``, an internal id, ``codename/x`` or ``external-id/x``.
        :param renditions: renditions of the asset to use in this reference: ``Rendition.id``
            outputs, internal ids or ``external-id/x``.
        :param publish: publish the variant again if it was published before the change.
        """
        props: dict[str, Any] = {
            "item": item,
            "language": language,
            "element": element,
            "asset": asset.id if isinstance(asset, Asset) else asset,
            "renditions": _rendition_list(renditions),
            "publish": publish,
            "item_id": None,
            "language_id": None,
            "element_id": None,
            "asset_id": None,
            "variant_state": None,
        }
        target = [props["item"], props["language"], element, props["asset"]]
        claim("VariantAssetLink", "item, language, element and asset", target, self, resource_name)
        super().__init__(VariantAssetLinkProvider(), resource_name, props, opts)

    @staticmethod
    def lookup(item: str, language: str) -> pulumi.Output[models.LanguageVariant]:
        """The variant a link would edit, as data (its elements reference elements by id)."""
        what = f"VariantAssetLink.lookup({item!r}, {language!r})"
        return lookup(what, lambda client: client.variants.get(item, language))


def _rendition_list(renditions: object) -> object:
    """A list of the renditions; a lone string is not a list of one: sent as it is, for check to refuse."""
    if not renditions:
        return None
    if isinstance(renditions, str) or not isinstance(renditions, Sequence):
        return renditions
    return list(renditions)
