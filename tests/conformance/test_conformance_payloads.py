"""Emulator responses have the keys and JSON types of the real payloads (reference/payloads).

Each case names the recorded emulator response, the real payloads of the same endpoint,
and the documented differences allowed (see ``Allowances``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from .conftest import World
from .payload_shapes import Allowances, load_payload, problems, shape_of

pytestmark = pytest.mark.recorded_reference

JS, NET = "sdk-js", "sdk-net"
# Present only when set (docs: "If not specified, the external_id property is not present").
EXTERNAL_ID = frozenset({"external_id"})
# Last page of a list: both null (as in the languages and .NET page-3 recordings).
PAGINATION = frozenset({"continuation_token", "next_page"})
VARIANT_NULLABLE = frozenset(
    {
        "note",
        "value",
        "publish_time",
        "publish_display_timezone",
        "unpublish_time",
        "unpublish_display_timezone",
    }
)
# Properties of the Management API's asset element definition; the recorded content type has no
# asset element (the reference shows image_width_limit/image_height_limit on rich text elements).
ASSET_ELEMENT = frozenset(
    {
        "asset_count_limit",
        "maximum_file_size",
        "allowed_file_types",
        "image_width_limit",
        "image_height_limit",
    }
)
SITEMAP = frozenset({"sitemap_locations"})  # in the reference's content item object, not in the old recording
NO_ALLOWANCES = Allowances()


@dataclass(frozen=True)
class Case:
    response: str
    payloads: tuple[str, ...]
    allow: Allowances = NO_ALLOWANCES


def case(response: str, *payloads: str, **allow: frozenset[str]) -> Case:
    return Case(response, payloads, Allowances(**allow))


VARIANT_NET = f"{NET}/LanguageVariant/LanguageVariant.json"
CASES = [
    case("file_upload", f"{JS}/assets/fake-upload-binary-file.json", f"{NET}/Asset/File.json",
         f"{NET}/CodeSamples/PostFileResponse.json"),
    case("asset_post", f"{JS}/assets/fake-add-asset.json", f"{NET}/CodeSamples/PostAssetResponse.json"),
    case("asset_get", f"{JS}/assets/fake-view-asset.json", f"{NET}/Asset/Asset.json"),
    case("asset_upsert", f"{JS}/assets/fake-upsert-asset.json", f"{NET}/CodeSamples/PutAssetResponse.json"),
    case("assets_list", f"{JS}/assets/fake-list-assets.json", f"{NET}/Asset/AssetsPage1.json",
         f"{NET}/Asset/AssetsPage3.json", f"{NET}/CodeSamples/Assets.json"),
    case("folders_get", f"{JS}/asset-folders/fake-list-asset-folders.json", f"{NET}/AssetFolder/Folder.json",
         optional=EXTERNAL_ID),
    case("folders_post", f"{JS}/asset-folders/fake-add-asset-folders.json",
         f"{NET}/CodeSamples/PostAssetFoldersResponse.json", optional=EXTERNAL_ID),
    case("folders_patch", f"{JS}/asset-folders/fake-modify-asset-folders.json",
         f"{NET}/CodeSamples/PatchAssetsFolderResponse.json", optional=EXTERNAL_ID),
    case("rendition_post", f"{JS}/asset-renditions/fake-add-asset-rendition.json",
         f"{NET}/AssetRendition/AssetRendition.json", f"{NET}/CodeSamples/AssetRendition.json"),
    case("rendition_get", f"{JS}/asset-renditions/fake-view-asset-rendition.json"),
    case("rendition_put", f"{JS}/asset-renditions/fake-modify-asset-rendition.json"),
    case("renditions_list", f"{JS}/asset-renditions/fake-list-asset-renditions.json",
         f"{NET}/AssetRendition/AssetRenditionPage1.json", f"{NET}/AssetRendition/AssetRenditionPage3.json",
         f"{NET}/CodeSamples/AssetRenditions.json"),
    case("collections_list", f"{JS}/collections/fake-list-collections.json"),
    case("languages_list", f"{JS}/languages/fake-list-languages.json", f"{NET}/Language/LanguagesPage1.json",
         f"{NET}/Language/LanguagesPage3.json", optional=EXTERNAL_ID),
    case("language_get", f"{JS}/languages/fake-view-language.json",
         f"{NET}/Language/SingleLanguageResponse.json", optional=EXTERNAL_ID),
    case("type_get", f"{JS}/content-types/fake-view-content-type.json",
         extra=ASSET_ELEMENT, optional=EXTERNAL_ID),
    # Add a content type answers the content type object; elements in a group name it (002)
    case("type_post", f"{JS}/content-types/fake-view-content-type.json", extra=frozenset({"content_group"})),
    case("items_list", f"{JS}/content-items/fake-list-content-items.json",
         extra=SITEMAP, nullable=PAGINATION),
    case("item_get", f"{JS}/content-items/view-content-item.json", extra=SITEMAP, optional=EXTERNAL_ID),
    # A variant is the same object in every response, so the .NET variant recording joins each case.
    case("variant_get", f"{JS}/language-variants/fake-view-language-variant.json", VARIANT_NET,
         nullable=VARIANT_NULLABLE),
    case("variant_put", f"{JS}/language-variants/fake-upsert-language-variant.json",
         f"{NET}/CodeSamples/PutLanguageVariantResponse.json", VARIANT_NET, nullable=VARIANT_NULLABLE),
    case("variants_list", f"{JS}/language-variants/fake-list-language-variants-of-item.json",
         f"{NET}/LanguageVariant/LanguageVariants.json", nullable=VARIANT_NULLABLE),
    case("workflows_list", f"{JS}/workflow/fake-list-workflows.json"),
    # The reference's error object has an optional "path" per validation error.
    case("invalid_body", f"{JS}/errors/cm-error-with-validation-errors.json", extra=frozenset({"path"})),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.response for c in CASES])
def test_response_matches_real_payload_shape(world: World, case: Case) -> None:
    shape = shape_of(*(load_payload(p) for p in case.payloads))
    assert problems(world.json(case.response), shape, case.allow) == []


def test_every_reference_payload_is_used() -> None:
    """Guard against a payload family being forgotten: each endpoint family above is exercised."""
    used = {p.split("/")[1] for case in CASES for p in case.payloads}
    assert {"assets", "asset-folders", "asset-renditions", "collections", "content-items", "content-types",
            "errors", "language-variants", "languages", "workflow", "Asset", "AssetFolder", "AssetRendition",
            "Language", "LanguageVariant", "CodeSamples"} <= used  # fmt: skip


def test_comparator_catches_differences() -> None:
    """The checker itself: a missing key, an extra key and a wrong type are all reported."""
    shape = shape_of({"id": "a", "size": 1, "tags": [{"id": "x"}]})
    assert problems({"id": "a", "size": 1, "tags": []}, shape) == []
    assert problems({"id": "a", "tags": []}, shape) == ["$.size: missing"]
    assert problems({"id": "a", "size": "1", "tags": []}, shape) == ["$.size: string, expected ['number']"]
    assert problems({"id": "a", "size": 1, "tags": [{"id": 1}], "x": 0}, shape) == [
        "$.tags[0].id: number, expected ['string']",
        "$.x: not in the real payloads",
    ]
