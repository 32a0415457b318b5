"""``VariantAssetLink``: put an asset into an asset element of a content item's language variant."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi

from kontent_resources import models
from kontent_resources.providers.variant_link import LinkInputs, VariantAssetLinkProvider
from kontent_resources.resources._base import KontentResource
from kontent_resources.resources._identity import claim
from kontent_resources.resources._lookup import lookup
from kontent_resources.resources.asset import Asset


class VariantAssetLink(KontentResource, module="kontent", name="VariantAssetLink"):
    """One reference to ``asset`` in the ``element`` of ``item`` in ``language``.

    Only this reference is managed: other assets in the element are kept. A published variant
    gets a new version first (Kontent.ai does not edit published content) and, with
    ``publish=True``, is published again afterwards. Removing the link removes just this reference
    (and leaves one it found there: ``found_existing``). Links into one variant that a deployment
    makes at once share one read and one write; two stacks on one machine take turns through a
    lock.

    Outputs: ``id`` (item/language/element/asset), ``item_id``, ``language_id``, ``element_id``,
    ``asset_id``, ``variant_state`` ("draft" or "published"), ``found_existing``.

    Errors (at preview when the program or the environment's answers can tell, otherwise at
    ``up`` before anything is written; each names the property and its fix): an item, language
    or asset the environment does not have, an ``element`` that is not an asset element of the
    item's content type, ``renditions`` given as ``codename/<x>`` or as a lone string, a
    scheduled or archived variant, ``publish=True`` on a workflow whose first step cannot go
    straight to Published ("Publishing this change would skip that review … set
    publish=False"), removing a ``publish=True`` link from an item whose editor has an
    unpublished newer draft ("publish or discard it, then run again"), and the API's errors
    (401, 403, 404, 429, 5xx). Every message and its fix: the troubleshooting page.
    """

    item_id: pulumi.Output[str]
    """Internal id of the content item."""
    language_id: pulumi.Output[str]
    """Internal id of the language."""
    element_id: pulumi.Output[str]
    """Internal id of the asset element."""
    asset_id: pulumi.Output[str]
    """Internal id of the linked asset."""
    variant_state: pulumi.Output[str]
    """The variant's state after the change: ``"draft"`` or ``"published"``."""
    found_existing: pulumi.Output[bool]
    """The element already held this reference when the link was made (an editor's): removing
    the link leaves it there."""

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
        :param resource_name: the resource's name, unique in the stack for its type (part of its URN).
        :param item: the content item: id, ``codename/x`` or ``external-id/x``.
        :param language: the language: id or ``codename/en-US``.
        :param element: codename of an asset element of the item's content type.
        :param asset: an ``Asset``, its ``id``, an internal id, ``codename/x`` or ``external-id/x``.
        :param renditions: renditions of the asset to use in this reference: ``Rendition.id``
            outputs, internal ids or ``external-id/x``.
        :param publish: publish the variant again if it was published before the change
            (otherwise the new version stays a draft for your editors).
        :param opts: Pulumi resource options (``parent``, ``aliases``, ``depends_on`` …).
        :raises DuplicateResourceError: when another ``VariantAssetLink`` of the program already
            links the same asset into the same item, language and element (as the program runs:
            the preview fails).
        """
        asset_ref = asset.id if isinstance(asset, Asset) else asset
        props = LinkInputs.props(
            item=item,
            language=language,
            element=element,
            asset=asset_ref,
            renditions=_rendition_list(renditions),
            publish=publish,
        )
        target = [item, language, element, asset_ref]
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
