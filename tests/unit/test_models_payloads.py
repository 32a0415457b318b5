"""Every recorded SDK payload parses into its model and serialises back to the same JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter

from kontent_resources.models import (
    Asset,
    ContentItem,
    ContentType,
    FileReference,
    FolderTree,
    Language,
    LanguageVariant,
    Rendition,
    Workflow,
)
from kontent_resources.models._base import KontentDateTime
from kontent_resources.models.assets import AssetListResponse
from kontent_resources.models.common import ErrorResponse
from kontent_resources.models.items import ContentItemListResponse
from kontent_resources.models.languages import CollectionListResponse, LanguageListResponse
from kontent_resources.models.renditions import RenditionListResponse
from kontent_resources.models.variants import VariantListResponse
from tests.reference import PAYLOADS

pytestmark = pytest.mark.recorded_reference

EMPTY = "empty body"
Target = type[BaseModel] | TypeAdapter[Any] | str

MAPPING: dict[str, Target] = {
    "sdk-js/asset-folders/fake-add-asset-folders.json": FolderTree,
    "sdk-js/asset-folders/fake-list-asset-folders.json": FolderTree,
    "sdk-js/asset-folders/fake-modify-asset-folders.json": FolderTree,
    "sdk-js/asset-renditions/fake-add-asset-rendition.json": Rendition,
    "sdk-js/asset-renditions/fake-list-asset-renditions.json": RenditionListResponse,
    "sdk-js/asset-renditions/fake-modify-asset-rendition.json": Rendition,
    "sdk-js/asset-renditions/fake-view-asset-rendition.json": Rendition,
    "sdk-js/assets/fake-add-asset.json": Asset,
    "sdk-js/assets/fake-delete-asset.json": EMPTY,
    "sdk-js/assets/fake-list-assets.json": AssetListResponse,
    "sdk-js/assets/fake-upload-binary-file.json": FileReference,
    "sdk-js/assets/fake-upsert-asset.json": Asset,
    "sdk-js/assets/fake-view-asset.json": Asset,
    "sdk-js/collections/fake-list-collections.json": CollectionListResponse,
    "sdk-js/content-items/fake-list-content-items.json": ContentItemListResponse,
    "sdk-js/content-items/view-content-item.json": ContentItem,
    "sdk-js/content-types/fake-view-content-type.json": ContentType,
    "sdk-js/errors/cm-error-with-validation-errors.json": ErrorResponse,
    "sdk-js/language-variants/fake-list-language-variants-of-item.json": TypeAdapter(list[LanguageVariant]),
    "sdk-js/language-variants/fake-upsert-language-variant.json": LanguageVariant,
    "sdk-js/language-variants/fake-view-language-variant.json": LanguageVariant,
    "sdk-js/languages/fake-list-languages.json": LanguageListResponse,
    "sdk-js/languages/fake-view-language.json": Language,
    "sdk-js/workflow/fake-list-workflows.json": TypeAdapter(list[Workflow]),
    "sdk-net/Asset/Asset.json": Asset,
    "sdk-net/Asset/AssetsPage1.json": AssetListResponse,
    "sdk-net/Asset/AssetsPage2.json": AssetListResponse,
    "sdk-net/Asset/AssetsPage3.json": AssetListResponse,
    "sdk-net/Asset/File.json": FileReference,
    "sdk-net/AssetFolder/Folder.json": FolderTree,
    "sdk-net/AssetRendition/AssetRendition.json": Rendition,
    "sdk-net/AssetRendition/AssetRenditionPage1.json": RenditionListResponse,
    "sdk-net/AssetRendition/AssetRenditionPage2.json": RenditionListResponse,
    "sdk-net/AssetRendition/AssetRenditionPage3.json": RenditionListResponse,
    "sdk-net/CodeSamples/AssetFolders.json": FolderTree,
    "sdk-net/CodeSamples/AssetRendition.json": Rendition,
    "sdk-net/CodeSamples/AssetRenditions.json": RenditionListResponse,
    "sdk-net/CodeSamples/Assets.json": AssetListResponse,
    "sdk-net/CodeSamples/PatchAssetsFolderResponse.json": FolderTree,
    "sdk-net/CodeSamples/PostAssetFoldersResponse.json": FolderTree,
    "sdk-net/CodeSamples/PostAssetResponse.json": Asset,
    "sdk-net/CodeSamples/PostFileResponse.json": FileReference,
    "sdk-net/CodeSamples/PutAssetResponse.json": Asset,
    "sdk-net/CodeSamples/PutLanguageVariantResponse.json": LanguageVariant,
    "sdk-net/Language/CreateLanguage_CreatesLanguage.json": Language,
    "sdk-net/Language/LanguagesPage1.json": LanguageListResponse,
    "sdk-net/Language/LanguagesPage2.json": LanguageListResponse,
    "sdk-net/Language/LanguagesPage3.json": LanguageListResponse,
    "sdk-net/Language/ListLanguages_ListsLanguages.json": LanguageListResponse,
    "sdk-net/Language/ModifyLanguages_Replace_ModifiesLanguages.json": Language,
    "sdk-net/Language/SingleLanguageResponse.json": Language,
    "sdk-net/LanguageVariant/LanguageVariant.json": LanguageVariant,
    "sdk-net/LanguageVariant/LanguageVariants.json": TypeAdapter(list[LanguageVariant]),
    "sdk-net/LanguageVariant/LanguageVariantsPage1.json": VariantListResponse,
    "sdk-net/LanguageVariant/LanguageVariantsPage2.json": VariantListResponse,
    "sdk-net/LanguageVariant/LanguageVariantsPage3.json": VariantListResponse,
}

_DATETIME: TypeAdapter[Any] = TypeAdapter(KontentDateTime)


def load(relative: str) -> Any:
    # Some .NET payloads start with a UTF-8 byte order mark.
    return json.loads((PAYLOADS / relative).read_text(encoding="utf-8-sig"))


def parse(target: Target, data: Any) -> Any:
    if isinstance(target, TypeAdapter):
        return target.validate_python(data)
    assert isinstance(target, type)
    return target.model_validate(data)


def dump(parsed: Any) -> Any:
    if isinstance(parsed, list):
        return [item.to_api() for item in parsed]
    return parsed.to_api()


def _same_instant(a: str, b: str) -> bool:
    try:
        return bool(_DATETIME.validate_python(a) == _DATETIME.validate_python(b))
    except ValueError:
        return False


def assert_same_json(expected: Any, actual: Any, where: str = "$") -> None:
    """Same keys everywhere; same leaf values, timestamps compared as instants."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), where
        assert set(actual) == set(expected), f"{where}: keys differ {set(actual) ^ set(expected)}"
        for key, value in expected.items():
            assert_same_json(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), where
        assert len(actual) == len(expected), where
        for index, (e, a) in enumerate(zip(expected, actual, strict=True)):
            assert_same_json(e, a, f"{where}[{index}]")
    elif expected != actual:
        assert isinstance(expected, str), f"{where}: {expected!r} != {actual!r}"
        assert isinstance(actual, str), f"{where}: {expected!r} != {actual!r}"
        assert _same_instant(expected, actual), f"{where}: {expected!r} != {actual!r}"


def test_mapping_covers_every_payload() -> None:
    on_disk = {p.relative_to(PAYLOADS).as_posix() for p in Path(PAYLOADS).rglob("*.json")}
    assert on_disk, f"no payloads found under {PAYLOADS}"
    assert on_disk == set(MAPPING)


@pytest.mark.parametrize(("relative", "target"), [(name, MAPPING[name]) for name in sorted(MAPPING)])
def test_payload_parses_and_round_trips(relative: str, target: Target) -> None:
    data = load(relative)
    if target == EMPTY:
        assert data == {}
        return
    parsed = parse(target, data)
    assert_same_json(data, dump(parsed))


def test_seven_digit_and_naive_timestamps_are_utc() -> None:
    tree = FolderTree.model_validate(load("sdk-js/asset-folders/fake-list-asset-folders.json"))
    assert tree.last_modified is not None
    assert tree.last_modified.utcoffset() is not None
    assert tree.last_modified.microsecond == 68099  # "…44.0680996": 7th digit dropped
    assert tree.to_api()["last_modified"] == "2019-11-07T09:25:44.068099Z"


def test_recursive_folders_and_lookup() -> None:
    from kontent_resources.models.common import RequestReference

    tree = FolderTree.model_validate(load("sdk-net/AssetFolder/Folder.json"))
    found = tree.find(RequestReference.by_external_id("folder-with-downloadable-archives"))
    assert found is not None
    folder, parent = found
    assert folder.name == "Archives"
    assert parent is not None
    assert parent.codename == "downloads"
    assert [f.name for f, _ in tree.walk()] == ["Downloads", "Archives", "Legal documents"]


def test_variant_asset_element_entries() -> None:
    variant = LanguageVariant.model_validate(load("sdk-net/LanguageVariant/LanguageVariant.json"))
    element = variant.element("9c6a4fbc-3f73-585f-9521-8d57636adf56")
    assert element is not None
    entries = element.asset_entries()
    assert [e.id for e in entries] == [
        "5c08a538-5b58-44eb-81ef-43fb37eeb815",
        "39c947ab-78ee-4de0-9bbd-8b79008111cc",
    ]
    assert entries[1].to_request().to_api() == {
        "id": "39c947ab-78ee-4de0-9bbd-8b79008111cc",
        "renditions": [
            {"id": "043d8f8b-22cb-4322-a1de-8a96c57548a3"},
            {"id": "7538b9b1-bb5f-493e-b9ab-24578e2a55f5"},
        ],
    }


def test_content_type_element_lookup() -> None:
    content_type = ContentType.model_validate(load("sdk-js/content-types/fake-view-content-type.json"))
    assert content_type.element_ids()["video_host"] == "87924912-4861-aa84-176a-1eae7b22529b"
    element = content_type.element("untitled_taxonomy_group")
    assert element is not None
    assert element.type == "taxonomy"
    assert content_type.element("missing") is None


def test_unknown_response_fields_are_kept() -> None:
    data = load("sdk-js/assets/fake-view-asset.json") | {"brand_new_field": {"x": 1}}
    asset = Asset.model_validate(data)
    assert asset.to_api()["brand_new_field"] == {"x": 1}


def test_error_payload() -> None:
    error = ErrorResponse.model_validate(load("sdk-js/errors/cm-error-with-validation-errors.json"))
    assert error.error_code == 5
    assert error.validation_errors[0].message.startswith("Provide a nonempty name")
