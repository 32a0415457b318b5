"""Kontent.ai digital assets as code: Pulumi resources for folders, assets, renditions and links.

The public API is what ``__all__`` lists here and in :mod:`kontent_resources.client` (the client,
its settings and errors) and :mod:`kontent_resources.models` (the objects the client returns).
Every other module is internal and may change without notice.

The names are imported on first use (PEP 562): ``kontent-resources import`` and the emulator need
none of the Pulumi side, whose import (the SDK, gRPC, every resource and provider) took a quarter
of the import command's CPU.
"""

import importlib
import typing

if typing.TYPE_CHECKING:
    from kontent_resources.client import KontentClient
    from kontent_resources.components import AssetDirectory, AssetDirectoryError
    from kontent_resources.resources import (
        Asset,
        AssetSet,
        Folder,
        Rendition,
        Transformation,
        VariantAssetLink,
    )

_MODULE_OF = {
    "Asset": "kontent_resources.resources",
    "AssetDirectory": "kontent_resources.components",
    "AssetDirectoryError": "kontent_resources.components",
    "AssetSet": "kontent_resources.resources",
    "Folder": "kontent_resources.resources",
    "KontentClient": "kontent_resources.client",
    "Rendition": "kontent_resources.resources",
    "Transformation": "kontent_resources.resources",
    "VariantAssetLink": "kontent_resources.resources",
}

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


def __getattr__(name: str) -> typing.Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'kontent_resources' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once: later reads do not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
