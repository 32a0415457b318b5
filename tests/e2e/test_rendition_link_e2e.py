"""Rendition and VariantAssetLink through the real engine against the emulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kontent_resources.models import Transformation
from kontent_resources.models.common import RequestReference
from kontent_resources.models.variants import AssetElementValue, VariantElementUpsert
from tests.e2e.helpers import reads_at_most_the_languages
from tests.e2e.kontent_stack import KontentStack, no_changes

pytestmark = pytest.mark.e2e

THUMB = {"x": 0, "y": 0, "width": 400, "height": 400, "custom_width": 200, "custom_height": 200}


def _spec(tmp_path: Path, **extra: Any) -> dict[str, Any]:
    source = tmp_path / "logo.png"
    if not source.exists():
        Image.new("RGB", (800, 400), "orange").save(source)
    return {"assets": [{"key": "logo", "source": str(source), "title": "Logo"}], **extra}


def _hero_entries(stack: KontentStack, item: str) -> list[dict[str, Any]]:
    variant = stack.client.variants.get(f"codename/{item}", "codename/en-US")
    item_type = stack.client.items.get(f"codename/{item}").type.id
    element_id = next(
        e.id for e in stack.client.types.get(item_type or "").elements if e.codename == "hero_image"
    )
    element = next((e for e in variant.elements if e.element.id == element_id), None)
    return list(element.value or []) if element else []


def test_rendition_lifecycle(stack: KontentStack, tmp_path: Path) -> None:
    spec = _spec(tmp_path, renditions=[{"key": "thumb", "asset": "logo", "transformation": dict(THUMB)}])
    stack.apply(spec)
    asset_id, rendition_id = stack.outputs()["assets"]["logo"], stack.outputs()["renditions"]["thumb"]
    assert stack.client.renditions.get(asset_id, rendition_id).transformation.custom_width == 200
    assert no_changes(stack.preview())

    spec["renditions"][0]["transformation"]["custom_width"] = 100
    stack.apply(spec)
    assert stack.outputs()["renditions"]["thumb"] == rendition_id, "a new transformation updates in place"
    assert stack.client.renditions.get(asset_id, rendition_id).transformation.custom_width == 100
    assert no_changes(stack.refresh())

    drifted = Transformation(x=10, y=10, width=100, height=100, custom_width=50, custom_height=50)
    stack.client.renditions.modify(asset_id, rendition_id, drifted)
    assert stack.refresh().get("update") == 1
    stack.apply(spec)
    assert stack.client.renditions.get(asset_id, rendition_id).transformation.x == 0

    spec["renditions"] = []
    stack.apply(spec)
    assert "cannot delete renditions" in "".join(stack.log), "removing a rendition warns"
    assert stack.resources("Rendition") == []
    stack.destroy()
    assert list(stack.client.assets.list()) == []


def test_rendition_outside_the_image_fails_at_preview(stack: KontentStack, tmp_path: Path) -> None:
    too_wide = dict(THUMB, x=600)
    spec = _spec(tmp_path, renditions=[{"key": "thumb", "asset": "logo", "transformation": too_wide}])
    with pytest.raises(Exception, match=r"transformation.*image is 800x400"):
        stack.preview(spec)
    assert reads_at_most_the_languages(stack.emulator.counters()), "preview made no other API call"


def test_link_lifecycle_keeps_other_references(stack: KontentStack, tmp_path: Path) -> None:
    other = stack.client.files.upload(_write(tmp_path / "other.txt"))
    from kontent_resources.models.assets import AssetCreate

    foreign = stack.client.assets.add(AssetCreate(file_reference=other.to_request(), title="Not ours"))
    hero_element = RequestReference(codename="hero_image")
    stack.client.variants.upsert(
        "codename/home",
        "codename/en-US",
        [VariantElementUpsert.assets(hero_element, [AssetElementValue.of(RequestReference(id=foreign.id))])],
    )
    link = {
        "key": "hero",
        "item": "codename/home",
        "language": "codename/en-US",
        "element": "hero_image",
        "asset": "logo",
    }
    spec = _spec(tmp_path, links=[link])
    stack.apply(spec)
    logo_id = stack.outputs()["assets"]["logo"]
    assert [e["id"] for e in _hero_entries(stack, "home")] == [foreign.id, logo_id]
    assert no_changes(stack.preview())
    assert no_changes(stack.refresh())

    stack.client.variants.upsert(
        "codename/home",
        "codename/en-US",
        [VariantElementUpsert.assets(hero_element, [AssetElementValue.of(RequestReference(id=foreign.id))])],
    )
    assert stack.refresh().get("delete") == 1, "a reference removed elsewhere disappears on refresh"
    stack.apply(spec)
    assert [e["id"] for e in _hero_entries(stack, "home")] == [foreign.id, logo_id]

    stack.destroy()
    assert [e["id"] for e in _hero_entries(stack, "home")] == [foreign.id], "only our reference is removed"


def test_link_into_published_variant_republishes(stack: KontentStack, tmp_path: Path) -> None:
    link = {
        "key": "hero",
        "item": "codename/about_us",
        "language": "codename/en-US",
        "element": "hero_image",
        "asset": "logo",
        "publish": True,
    }
    stack.apply(_spec(tmp_path, links=[link]))
    logo_id = stack.outputs()["assets"]["logo"]
    assert [e["id"] for e in _hero_entries(stack, "about_us")] == [logo_id]
    [state] = stack.resources("VariantAssetLink")
    assert state["outputs"]["variant_state"] == "published"
    counts = stack.emulator.counters()["by_endpoint"]
    assert counts.get("PUT /items/{ref}/variants/{language_ref}/new-version") == 1
    assert counts.get("PUT /items/{ref}/variants/{language_ref}/publish") == 1
    assert no_changes(stack.preview())


def _write(path: Path) -> Path:
    path.write_text("someone else's file")
    return path


def test_lookups_read_existing_objects(stack: KontentStack, tmp_path: Path) -> None:
    """Asset.lookup / Folder.lookup read objects the stack does not manage, as data."""
    stack.apply(_spec(tmp_path, folders=[{"key": "brand", "name": "Brand", "codename": "brand"}]))
    program = tmp_path / "spec-stack" / "__main__.py"
    program.write_text(
        "import pulumi\n"
        "from kontent_resources import Asset, Folder\n"
        "from kontent_resources._testing.spec import spec_program\n"
        "spec_program()\n"
        "pulumi.export('looked_up_title', Asset.lookup('codename/logo').apply(lambda a: a.title))\n"
        "pulumi.export('looked_up_folder', Folder.lookup('codename/brand').apply(lambda f: f.name))\n"
    )
    stack.apply(_spec(tmp_path, folders=[{"key": "brand", "name": "Brand", "codename": "brand"}]))
    outputs = stack.outputs()
    assert (outputs["looked_up_title"], outputs["looked_up_folder"]) == ("Logo", "Brand")


def test_destroy_deletes_renditions_with_their_asset_without_warnings(
    stack: KontentStack, tmp_path: Path
) -> None:
    """Issue 34: the API deletes an asset's renditions with it, so a destroy that deletes both has
    nothing to warn about; removing a rendition while its asset stays still warns (above)."""
    renditions = [{"key": key, "asset": "logo", "transformation": dict(THUMB)} for key in ("thumb", "card")]
    stack.apply(_spec(tmp_path, renditions=renditions))
    stack.log.clear()
    stack.destroy()
    output = "".join(stack.log)
    assert "cannot delete renditions" not in output, output
    assert list(stack.client.assets.list()) == []
