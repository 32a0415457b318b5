"""Kontent.ai digital assets as code: Pulumi resources for folders, assets, renditions and links.

The public API is what ``__all__`` lists here and in :mod:`kontent_resources.client` (the client,
its settings and errors) and :mod:`kontent_resources.models` (the objects the client returns).
Every other module is internal and may change without notice.
"""

from kontent_resources.client import KontentClient
from kontent_resources.components import AssetDirectory, AssetDirectoryError
from kontent_resources.resources import Asset, AssetSet, Folder, Rendition, Transformation, VariantAssetLink

__all__ = [
    "Asset",
    "AssetDirectory",
    "AssetDirectoryError",
    "AssetSet",
    "Folder",
    "KontentClient",
    "Rendition",
    "Transformation",
    "VariantAssetLink",
]
