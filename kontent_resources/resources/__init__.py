"""The Pulumi resources users declare in their programs."""

from kontent_resources.models import Transformation
from kontent_resources.resources.asset import Asset
from kontent_resources.resources.asset_set import AssetSet
from kontent_resources.resources.folder import Folder
from kontent_resources.resources.rendition import Rendition
from kontent_resources.resources.variant_link import VariantAssetLink

__all__ = ["Asset", "AssetSet", "Folder", "Rendition", "Transformation", "VariantAssetLink"]
