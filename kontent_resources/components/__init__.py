"""Component resources built from the basic resources: whole structures declared in one call."""

from kontent_resources.components._plan import AssetDirectoryError, title_from_file_name
from kontent_resources.components.asset_directory import AssetDirectory

__all__ = ["AssetDirectory", "AssetDirectoryError", "title_from_file_name"]
