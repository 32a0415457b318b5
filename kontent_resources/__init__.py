"""Kontent.ai digital assets as code: Pulumi resources for folders, assets, renditions and links."""

from kontent_resources.client import KontentClient
from kontent_resources.components import AssetDirectory, AssetDirectoryError
from kontent_resources.resources import Asset, Folder, Rendition, Transformation, VariantAssetLink

__all__ = [
    "Asset",
    "AssetDirectory",
    "AssetDirectoryError",
    "Folder",
    "KontentClient",
    "Rendition",
    "Transformation",
    "VariantAssetLink",
]
