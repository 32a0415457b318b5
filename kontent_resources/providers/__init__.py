"""Dynamic providers: the check/diff/create/read/update/delete behind each resource."""

from kontent_resources.providers.asset import AssetProvider
from kontent_resources.providers.folder import FolderProvider
from kontent_resources.providers.rendition import RenditionProvider
from kontent_resources.providers.runtime import invalidate_caches
from kontent_resources.providers.variant_link import VariantAssetLinkProvider

__all__ = [
    "AssetProvider",
    "FolderProvider",
    "RenditionProvider",
    "VariantAssetLinkProvider",
    "invalidate_caches",
]
