"""Issue 33: one typed input model per resource, each key spelled once (providers/inputs.py)."""

from __future__ import annotations

from dataclasses import fields

import pulumi
import pytest
from pulumi.output import Unknown

from kontent_resources import Asset, Folder, Rendition, VariantAssetLink
from kontent_resources.providers.identity import IDENTITY_KEYS, IdentityInputs
from kontent_resources.providers.inputs import AssetInputs, FolderInputs, RenditionInputs, ResourceInputs
from kontent_resources.providers.validation import Failures, SentIdentity
from kontent_resources.providers.variant_link.inputs import LinkInputs, SentLink


def test_the_identity_keys_are_the_identity_models_fields() -> None:
    assert {*IDENTITY_KEYS, "external_id"} == set(IdentityInputs.model_fields)


def test_a_resource_declares_its_props_by_field_name_and_its_outputs_unset() -> None:
    props = FolderInputs.props(name="Logos", parent=None)
    assert props == {"name": "Logos", "parent": None, "parent_id": None}
    with pytest.raises(TypeError, match="nmae"):
        FolderInputs.props(nmae="Logos")


def test_values_the_engine_does_not_know_yet_are_named_not_parsed() -> None:
    inputs = RenditionInputs.of({"asset": Unknown(), "transformation": None, "external_id": "r-1"})  # type: ignore[no-untyped-call]
    assert inputs.asset is None
    assert not inputs.is_known("asset")
    assert inputs.is_known("external_id")
    assert inputs.external_id == "r-1"


def test_a_value_the_model_refuses_is_a_failure_naming_its_property() -> None:
    failures = Failures()
    assert AssetInputs.parsed({"source": "logo.png", "adopt": "yes please"}, failures) is None
    assert [item.property for item in failures.items] == ["adopt"]


def test_a_state_value_of_another_type_reads_as_absent_not_as_an_error() -> None:
    inputs = AssetInputs.valid_part({"title": "Logo", "descriptions": ["not", "a", "map"]})
    assert (inputs.title, inputs.descriptions) == ("Logo", None)


def test_changing_a_recorded_input_takes_field_names_only() -> None:
    assert AssetInputs.updated({"title": "Old"}, title="New") == {"title": "New"}
    with pytest.raises(TypeError):
        AssetInputs.updated({}, titel="New")


def test_the_checks_read_the_sent_values_by_the_models_field_names() -> None:
    for view, model in ((SentIdentity, FolderInputs), (SentIdentity, AssetInputs), (SentLink, LinkInputs)):
        assert {field.name for field in fields(view)} <= set(model.model_fields)


def test_identity_values_of_another_type_are_reported_as_sent() -> None:
    failures = Failures()
    failures.identity({"codename": 7, "external_id": 5, "adopt_id": "fcbb12e6-66a3-4672-85d9-d502d16b8d9c"})
    assert [item.property for item in failures.items] == ["codename", "external_id", "adopt_id"]
    assert "cannot go with external_id" in failures.items[-1].reason


@pytest.mark.parametrize(
    ("resource", "inputs"),
    [
        (Folder, FolderInputs),
        (Asset, AssetInputs),
        (Rendition, RenditionInputs),
        (VariantAssetLink, LinkInputs),
    ],
)
def test_every_output_a_provider_writes_is_an_attribute_of_its_resource(
    resource: type[pulumi.CustomResource], inputs: type[ResourceInputs]
) -> None:
    """The outputs beyond the inputs are declared (as ``None`` props), so the SDK gives the resource
    an ``Output`` for each, and typed on the class, so its reference page lists them."""
    assert set(inputs.declared_outputs()) <= set(resource.__annotations__), "an output it does not declare"


def test_the_cheap_unchanged_test_compares_fields_as_sent_and_refuses_other_names() -> None:
    olds = {"title": "Logo", "descriptions": {"en-US": "A logo"}}
    assert AssetInputs.same_as_sent(olds, dict(olds), ("title", "descriptions"))
    assert not AssetInputs.same_as_sent(olds, {**olds, "title": "Mark"}, ("title",))
    with pytest.raises(TypeError, match="titel"):
        AssetInputs.same_as_sent(olds, olds, ("titel",))
