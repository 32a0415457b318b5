"""The stated public API: what users may import, and nothing else by accident.

Each public module's ``__all__`` is exactly the supported names listed here, every one of them
importable. Adding a name to the public API is a decision: make it here and in ``__all__``
together. Everything else lives in modules users do not import from (``client.retry``,
``models.assets``, ...), and may change without notice.
"""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest

SUPPORTED: dict[str, list[str]] = {
    # What a Pulumi program declares.
    "kontent_resources": [
        "Asset",
        "AssetDirectory",
        "AssetDirectoryError",
        "AssetSet",
        "Folder",
        "KontentClient",
        "Rendition",
        "Transformation",
        "VariantAssetLink",
    ],
    "kontent_resources.resources": [
        "Asset",
        "AssetSet",
        "Folder",
        "Rendition",
        "Transformation",
        "VariantAssetLink",
    ],
    # The client, its settings, what it counts, the identifiers it takes and the errors it raises.
    "kontent_resources.client": [
        "ClientStats",
        "Identifier",
        "InvalidIdentifierError",
        "KontentAuthenticationError",
        "KontentBadRequestError",
        "KontentClient",
        "KontentClientError",
        "KontentConflictError",
        "KontentConnectionError",
        "KontentError",
        "KontentMethodNotAllowedError",
        "KontentNotFoundError",
        "KontentPermissionError",
        "KontentRateLimitError",
        "KontentRequestNotSentError",
        "KontentResponseError",
        "KontentServerError",
        "KontentTimeoutError",
        "KontentTransportError",
        "KontentUnreachableError",
        "KontentUploadSourceError",
        "KontentValidationError",
        "RateLimit",
        "RetryPolicy",
        "by_codename",
        "by_external_id",
        "by_id",
    ],
    # The objects the client returns (and a rendition's rectangle); request bodies are internal.
    "kontent_resources.models": [
        "Asset",
        "AssetCollection",
        "AssetDescription",
        "AssetElement",
        "AssetElementEntry",
        "Collection",
        "ContentGroup",
        "ContentItem",
        "ContentType",
        "ContentTypeElement",
        "DueDate",
        "FileReference",
        "Folder",
        "FolderTree",
        "Language",
        "LanguageVariant",
        "Rendition",
        "RenditionTransformation",
        "ResponseReference",
        "Transformation",
        "ValidationErrorItem",
        "VariantElement",
        "VariantSchedule",
        "VariantWorkflow",
        "Workflow",
        "WorkflowFixedStep",
        "WorkflowScope",
        "WorkflowStep",
        "WorkflowTransition",
    ],
}


@pytest.mark.parametrize("module_name", sorted(SUPPORTED))
def test_all_is_the_supported_names(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert sorted(module.__all__) == sorted(SUPPORTED[module_name])
    assert len(set(module.__all__)) == len(module.__all__), "a name is listed twice"


@pytest.mark.parametrize("module_name", sorted(SUPPORTED))
def test_every_name_in_all_is_importable(module_name: str) -> None:
    module = importlib.import_module(module_name)
    for name in module.__all__:
        assert getattr(module, name, None) is not None, f"{module_name}.{name} is listed but not importable"
    namespace: dict[str, object] = {}
    exec(f"from {module_name} import *", namespace)  # noqa: S102 - what a star-import gives is __all__ itself
    assert sorted(k for k in namespace if k != "__builtins__") == sorted(module.__all__)


@pytest.mark.parametrize("module_name", sorted(SUPPORTED))
def test_nothing_else_is_reachable_by_accident(module_name: str) -> None:
    """Besides ``__all__``, a public package binds only its submodules and private names (httpx's
    test of its exported members)."""
    module = importlib.import_module(module_name)
    bound = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    }
    extra = bound - set(module.__all__)
    assert extra == set()


def test_the_top_level_names_are_the_resources_themselves() -> None:
    import kontent_resources
    from kontent_resources import client, models, resources

    assert kontent_resources.KontentClient is client.KontentClient
    assert kontent_resources.Transformation is models.Transformation is resources.Transformation
    for name in ("Asset", "AssetSet", "Folder", "Rendition", "VariantAssetLink"):
        assert getattr(kontent_resources, name) is getattr(resources, name)
