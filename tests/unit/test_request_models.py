"""Request bodies: what is sent, what is refused, and the nulls the API needs."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kontent_resources.models import FileReference, Transformation
from kontent_resources.models.assets import (
    AssetCollectionRequest,
    AssetCreate,
    AssetDescriptionRequest,
    AssetUpsert,
)
from kontent_resources.models.common import ROOT_FOLDER_ID, RequestReference
from kontent_resources.models.folders import FolderCreate, folder_add_into, folder_remove, folder_rename
from kontent_resources.models.renditions import RenditionCreate, RenditionModify, TransformationRequest
from kontent_resources.models.variants import (
    AssetElementValue,
    PublishRequest,
    VariantElementUpsert,
    VariantUpsert,
)


def test_reference_constructors() -> None:
    assert RequestReference.by_id("a").to_api() == {"id": "a"}
    assert RequestReference.by_codename("b").to_api() == {"codename": "b"}
    assert RequestReference.by_external_id("c").to_api() == {"external_id": "c"}
    assert RequestReference.root_folder().to_api() == {"id": ROOT_FOLDER_ID}


@pytest.mark.parametrize("fields", [{}, {"id": "a", "codename": "b"}])
def test_reference_needs_exactly_one_identifier(fields: dict[str, str]) -> None:
    with pytest.raises(ValidationError, match="exactly one"):
        RequestReference(**fields)


def test_request_models_forbid_unknown_fields() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        AssetUpsert.model_validate({"title": "x", "tittle": "typo"})


def test_only_set_fields_are_sent_and_explicit_nulls_survive() -> None:
    upsert = AssetUpsert(
        title=None,
        folder=RequestReference.root_folder(),
        collection=AssetCollectionRequest(reference=None),
    )
    assert upsert.to_api() == {
        "title": None,
        "folder": {"id": ROOT_FOLDER_ID},
        "collection": {"reference": None},
    }
    assert AssetUpsert(title="Only the title").to_api() == {"title": "Only the title"}


def test_collection_reference_null_is_sent_even_when_defaulted() -> None:
    assert AssetCollectionRequest().to_api() == {"reference": None}


def test_asset_create_body_uses_api_field_names() -> None:
    create = AssetCreate(
        file_reference=FileReference(id="f1").to_request(),
        title="Café",
        external_id="ext-1",
        descriptions=[AssetDescriptionRequest.for_language("en-US", "alt text")],
    )
    assert create.to_api() == {
        "file_reference": {"id": "f1", "type": "internal"},
        "title": "Café",
        "external_id": "ext-1",
        "descriptions": [{"language": {"codename": "en-US"}, "description": "alt text"}],
    }


def test_title_limit() -> None:
    with pytest.raises(ValidationError):
        AssetUpsert(title="x" * 201)


def test_folder_operations() -> None:
    add = folder_add_into(
        FolderCreate(name="Shared", codename="shared", external_id="shared-ext"),
        parent=RequestReference.by_external_id("parent"),
        after=RequestReference.by_codename("sibling"),
    )
    assert add.to_api() == {
        "op": "addInto",
        "reference": {"external_id": "parent"},
        "after": {"codename": "sibling"},
        "value": {"name": "Shared", "codename": "shared", "external_id": "shared-ext", "folders": []},
    }
    assert folder_add_into(FolderCreate(name="Top")).to_api() == {
        "op": "addInto",
        "value": {"name": "Top", "folders": []},
    }
    assert folder_rename(RequestReference.by_id("i"), "New").to_api() == {
        "op": "rename",
        "reference": {"id": "i"},
        "value": "New",
    }
    assert folder_remove(RequestReference.by_codename("c")).to_api() == {
        "op": "remove",
        "reference": {"codename": "c"},
    }


def test_before_and_after_are_exclusive() -> None:
    with pytest.raises(ValidationError, match="mutually exclusive"):
        folder_add_into(
            FolderCreate(name="x"), before=RequestReference.by_id("a"), after=RequestReference.by_id("b")
        )


def test_transformation_always_sends_mode_and_fit() -> None:
    body = RenditionCreate(
        transformation=Transformation(x=0, y=30, width=500, height=100, custom_width=250, custom_height=50),
        external_id="r1",
    ).to_api()
    assert body["transformation"]["mode"] == "rect"
    assert body["transformation"]["fit"] == "clip"
    assert body["external_id"] == "r1"


@pytest.mark.parametrize(
    "fields",
    [
        {"x": -1, "y": 0, "width": 10, "height": 10, "custom_width": 5, "custom_height": 5},
        {"x": 0, "y": 0, "width": 10, "height": 10, "custom_width": 11, "custom_height": 5},
        {"x": 0, "y": 0, "width": 10, "height": 10, "custom_width": 5, "custom_height": 5, "mode": "fill"},
    ],
)
def test_transformation_rejects_invalid(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        TransformationRequest.model_validate(fields)


def test_one_transformation_for_resources_models_and_client() -> None:
    """Issue 13: the class the README shows is the one the models and the client take."""
    import kontent_resources
    from kontent_resources import resources

    assert kontent_resources.Transformation is Transformation is resources.Transformation
    numbers = {"x": 0, "y": 0, "width": 10, "height": 10, "custom_width": 5, "custom_height": 5}
    given = RenditionModify(transformation=Transformation(**numbers)).to_api()
    assert given == RenditionModify(transformation=TransformationRequest(**numbers)).to_api()
    with pytest.raises(ValidationError, match="does not upscale"):
        RenditionCreate(transformation=Transformation(**{**numbers, "custom_width": 50}))


def test_variant_asset_element_body() -> None:
    body = VariantUpsert(
        elements=[
            VariantElementUpsert.assets(
                RequestReference.by_codename("hero"),
                [
                    AssetElementValue.of(RequestReference.by_external_id("a1")),
                    AssetElementValue.of(
                        RequestReference.by_id("a2"), renditions=[RequestReference.by_external_id("r")]
                    ),
                ],
            ),
            VariantElementUpsert(element=RequestReference.by_codename("title"), value="Hello"),
        ]
    ).to_api()
    assert body == {
        "elements": [
            {
                "element": {"codename": "hero"},
                "value": [{"external_id": "a1"}, {"id": "a2", "renditions": [{"external_id": "r"}]}],
            },
            {"element": {"codename": "title"}, "value": "Hello"},
        ]
    }


def test_with_changes_keeps_set_semantics() -> None:
    request = PublishRequest(scheduled_to="2038-01-19T04:14:08Z").with_changes(
        display_timezone="Europe/Prague"
    )
    assert request.to_api() == {"scheduled_to": "2038-01-19T04:14:08Z", "display_timezone": "Europe/Prague"}
