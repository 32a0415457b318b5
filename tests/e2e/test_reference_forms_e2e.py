"""Issue 13: every identifier form the README documents, for every reference of a link, a rendition
and a folder, through the real engine, with an editor's own objects in the same element and folder.

Each step checks the emulator's content, not only what the engine reports: an editor's entry is
never touched, and every form behaves like the internal id.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kontent_resources.client import KontentClient
from kontent_resources.models import Transformation
from kontent_resources.models.assets import AssetCreate
from kontent_resources.models.common import RequestReference
from kontent_resources.models.folders import FolderCreate
from kontent_resources.models.renditions import RenditionCreate
from kontent_resources.models.variants import AssetElementValue, VariantElementUpsert
from kontent_resources.sandbox import HermeticPulumi
from tests.e2e.kontent_stack import no_changes
from tests.reliability.helpers import RawStack

pytestmark = pytest.mark.e2e

RECT = {"x": 0, "y": 0, "width": 100, "height": 100, "custom_width": 50, "custom_height": 50}
# A VariantAssetLink of the spec: references are strings, renditions a list of them (or None).
Link = dict[str, str | list[str] | None]
SEED = {
    "languages": [{"codename": "de-DE", "name": "German", "external_id": "lang-de"}],
    "items": [
        {"codename": "landing", "name": "Landing", "type": "article", "external_id": "item-landing",
         "variants": {"en-US": {"elements": {"title": "Landing"}}, "de-DE": {"elements": {"title": "Start"}}}}
    ],
}  # fmt: skip


class Editor:
    """What people made in the environment before the stack: assets, a rendition, element entries."""

    def __init__(self, client: KontentClient, folder: Path) -> None:
        self.client = client
        image = folder / "editor.png"
        Image.new("RGB", (200, 200), "olive").save(image)
        self.assets = {
            name: client.assets.add(
                AssetCreate(file_reference=client.files.upload(image).to_request(), title=f"Editor's {name}",
                            codename=f"editors_{name}", external_id=f"editors-{name}")
            )
            for name in ("own", "by_id", "by_codename", "by_external_id")
        }  # fmt: skip
        self.rendition = client.renditions.add(
            self.assets["by_external_id"].id,
            RenditionCreate(transformation=Transformation(**RECT), external_id="editors-crop"),
        )

    def put_own_entry(self, item: str, language: str) -> None:
        own = AssetElementValue.of(RequestReference(id=self.assets["own"].id))
        element = VariantElementUpsert.assets(RequestReference(codename="hero_image"), [own])
        self.client.variants.upsert(item, language, [element])

    def hero(self, item: str, language: str) -> dict[str, list[str]]:
        """The element's entries: asset id → its rendition ids."""
        variant = self.client.variants.get(item, language)
        entries = [e for el in variant.elements if isinstance(el.value, list) for e in el.value]
        return {e["id"]: sorted(r["id"] for r in e.get("renditions") or []) for e in entries}


def _links(editor: Editor, *, with_renditions: bool) -> list[Link]:
    """One link per form of each reference; all in hero_image next to the editor's own entry."""
    assets = editor.assets
    home_en = {"item": "codename/home", "language": "codename/en-US"}
    links: list[Link] = [
        {"key": "as_resource", **home_en, "asset": "@logo",
         "renditions": ["@thumb"] if with_renditions else None},
        {"key": "as_id_output", **home_en, "asset": "@icon.id"},
        {"key": "as_internal_id", **home_en, "asset": assets["by_id"].id},
        {"key": "as_codename", **home_en, "asset": "codename/editors_by_codename"},
        {"key": "as_external_id", **home_en, "asset": "external-id/editors-by_external_id",
         "renditions": ["external-id/editors-crop"] if with_renditions else None},
        {"key": "item_by_external_id", "item": "external-id/item-landing", "language": "external-id/lang-de",
         "asset": "@logo"},
        {"key": "item_by_id", "item": editor.client.items.get("codename/landing").id,
         "language": editor.client.languages.get("codename/en-US").id, "asset": "@icon"},
    ]  # fmt: skip
    return [{"element": "hero_image", **link} for link in links]


def _spec(
    editor: Editor, image: Path, *, links: bool = True, with_renditions: bool = False
) -> dict[str, Any]:
    return {
        "assets": [{"key": "logo", "source": str(image)}, {"key": "icon", "source": str(image)}],
        "renditions": [{"key": "thumb", "asset": "@logo", "transformation": RECT}],
        "links": _links(editor, with_renditions=with_renditions) if links else [],
    }


@pytest.mark.timeout(600)
def test_every_link_reference_form_through_the_lifecycle(
    pulumi_sandbox: HermeticPulumi, emulator: Any, tmp_path: Path
) -> None:
    emulator.seed_content(SEED)
    stack = RawStack(pulumi_sandbox, emulator, tmp_path)
    stack.runner.set_config({"kontent:maxRequestsPerSecond": "0"})
    editor = Editor(stack.client, tmp_path)
    for item, language in (
        ("codename/home", "codename/en-US"),
        ("codename/landing", "codename/de-DE"),
        ("codename/landing", "codename/en-US"),
    ):
        editor.put_own_entry(item, language)  # fmt: skip
    image = tmp_path / "ours.png"
    Image.new("RGB", (300, 300), "navy").save(image)
    own = editor.assets["own"].id

    stack.runner.set_config({"spec": json.dumps(_spec(editor, image))})
    stack.runner.up()
    ids = stack.outputs()["ids"]
    logo, icon = ids["logo"], ids["icon"]
    wanted_home: dict[str, list[str]] = {own: [], logo: [], icon: [],
                                         editor.assets["by_id"].id: [], editor.assets["by_codename"].id: [],
                                         editor.assets["by_external_id"].id: []}  # fmt: skip
    assert editor.hero("codename/home", "codename/en-US") == wanted_home
    assert editor.hero("codename/landing", "codename/de-DE") == {own: [], logo: []}
    assert editor.hero("codename/landing", "codename/en-US") == {own: [], icon: []}

    assert no_changes(stack.preview()), "every form previews as no change"
    assert no_changes(stack.refresh()), "every form refreshes as no change (the API answers by id)"
    assert no_changes(stack.preview()), "and nothing was dropped from the state by the refresh"

    with_renditions = _spec(editor, image, with_renditions=True)
    stack.runner.set_config({"spec": json.dumps(with_renditions)})
    stack.runner.up()
    thumb = stack.outputs()["ids"]["thumb"]
    wanted_home[logo] = [thumb]
    wanted_home[editor.assets["by_external_id"].id] = [editor.rendition.rendition_id]
    assert editor.hero("codename/home", "codename/en-US") == wanted_home
    assert no_changes(stack.refresh()), "renditions by external id read back as no drift"
    assert no_changes(stack.preview())

    stack.runner.set_config({"spec": json.dumps(_spec(editor, image, links=False))})
    stack.runner.up()
    for item, language in (
        ("codename/home", "codename/en-US"),
        ("codename/landing", "codename/de-DE"),
        ("codename/landing", "codename/en-US"),
    ):
        assert editor.hero(item, language) == {own: []}, f"only the editor's entry is left in {item}"
    stack.destroy()
    assert {a.id for a in stack.client.assets.list()} == {a.id for a in editor.assets.values()}
    stack.close()


@pytest.mark.timeout(600)
def test_folder_and_rendition_reference_forms_leave_the_editors_objects(
    pulumi_sandbox: HermeticPulumi, emulator: Any, tmp_path: Path
) -> None:
    """Folder.parent, Asset.folder and Rendition.asset by each documented form, next to an editor's
    folder and asset: up, no-change preview and refresh, destroy; the editor's objects stay."""
    stack = RawStack(pulumi_sandbox, emulator, tmp_path)
    stack.runner.set_config({"kontent:maxRequestsPerSecond": "0"})
    editor = Editor(stack.client, tmp_path)
    stack.client.folders.add([FolderCreate(name="Editors", codename="editors", external_id="editors-folder")])
    editors_folder = next(f for f in stack.client.folders.get().folders if f.codename == "editors")
    image = tmp_path / "ours.png"
    Image.new("RGB", (300, 300), "navy").save(image)
    forms = {
        "id": editors_folder.id,
        "codename": "codename/editors",
        "external_id": "external-id/editors-folder",
    }
    spec: dict[str, list[dict[str, Any]]] = {
        "folders": [
            {"key": "top", "name": "Top"},
            {"key": "sub_by_resource", "name": "Sub", "parent": "@top"},
            {"key": "sub_by_id_output", "name": "Sub 2", "parent": "@top.id"},
            *(
                {"key": f"in_editors_by_{form}", "name": f"Ours by {form}", "parent": ref}
                for form, ref in forms.items()
            ),
        ],
        "assets": [
            *(
                {"key": f"asset_by_{form}", "source": str(image), "folder": ref}
                for form, ref in forms.items()
            ),
            {"key": "asset_by_id_output", "source": str(image), "folder": "@top.id"},
        ],
        "renditions": [
            {"key": "crop_by_id", "asset": editor.assets["by_id"].id, "transformation": RECT},
            {
                "key": "crop_by_external_id",
                "asset": "external-id/editors-by_codename",
                "transformation": RECT,
            },
        ],
    }
    stack.runner.set_config({"spec": json.dumps(spec)})
    stack.runner.up()
    ids = stack.outputs()["ids"]
    tree = stack.client.folders.get()
    in_editors = tree.find(RequestReference(id=editors_folder.id))
    assert in_editors is not None
    children = {f.id for f in in_editors[0].folders}
    assert children == {ids[f"in_editors_by_{form}"] for form in forms}, (
        "every parent form lands in the same folder"
    )
    for form in forms:
        assert stack.client.assets.get(ids[f"asset_by_{form}"]).folder.id == editors_folder.id  # type: ignore[union-attr]
    assert (
        stack.client.renditions.get(editor.assets["by_id"].id, ids["crop_by_id"]).asset_id
        == editor.assets["by_id"].id
    )
    crop = stack.client.renditions.get(editor.assets["by_codename"].id, ids["crop_by_external_id"])
    assert crop.asset_id == editor.assets["by_codename"].id

    assert no_changes(stack.preview()), "every form previews as no change"
    assert no_changes(stack.refresh()), "every form refreshes as no change"
    assert no_changes(stack.preview())

    for folder in spec["folders"]:
        folder["name"] = f"{folder['name']} (renamed)"
    for rendition in spec["renditions"]:
        rendition["transformation"] = {**RECT, "custom_width": 40, "custom_height": 40}
    stack.runner.set_config({"spec": json.dumps(spec)})
    stack.runner.up()
    assert stack.outputs()["ids"] == ids, "a rename is an update in place, by every parent form"
    for key, asset in (("crop_by_id", "by_id"), ("crop_by_external_id", "by_codename")):
        changed = stack.client.renditions.get(editor.assets[asset].id, ids[key]).transformation
        assert (changed.custom_width, changed.custom_height) == (40, 40), f"{key} updated in place"
    renamed = stack.client.folders.get()
    for folder in spec["folders"]:
        found = renamed.find(RequestReference(id=ids[folder["key"]]))
        assert found is not None
        assert found[0].name == folder["name"]
    editors_after = renamed.find(RequestReference(id=editors_folder.id))
    assert editors_after is not None
    assert (editors_after[0].name, editors_after[0].codename) == ("Editors", "editors"), "theirs untouched"
    assert no_changes(stack.preview())

    stack.destroy()
    after = stack.client.folders.get()
    assert [f.codename for f in after.folders] == ["editors"], "the editor's folder stays, ours went"
    assert after.folders[0].folders == [], "ours inside the editor's folder went"
    assert {a.id for a in stack.client.assets.list()} == {a.id for a in editor.assets.values()}
    stack.close()


@pytest.mark.timeout(600)
def test_asset_collection_and_taxonomy_reference_forms_through_the_lifecycle(
    pulumi_sandbox: HermeticPulumi, emulator: Any, tmp_path: Path
) -> None:
    """Asset.collection and the terms of Asset.elements by every documented form: up, no-change
    preview and refresh, an update (to another collection, by each form), destroy; an editor's asset
    in the same collection is never touched.

    Assumption (the reference here documents no taxonomy endpoints, so the emulator keeps no
    taxonomy groups): the emulator stores the term references it is given, so only what the toolkit
    sends and reads back is checked for terms, not which term a form names."""
    emulator.seed_content(
        {
            "collections": [
                {"codename": "marketing", "name": "Marketing", "external_id": "coll-marketing"},
                {"codename": "legal", "name": "Legal", "external_id": "coll-legal"},
            ]
        }
    )
    stack = RawStack(pulumi_sandbox, emulator, tmp_path)
    stack.runner.set_config({"kontent:maxRequestsPerSecond": "0"})
    editor = Editor(stack.client, tmp_path)
    collections = {c.codename: c for c in stack.client.collections.list()}
    image = tmp_path / "ours.png"
    Image.new("RGB", (30, 30), "navy").save(image)

    def forms(codename: str) -> dict[str, str]:
        found = collections[codename]
        return {
            "id": found.id,
            "codename": f"codename/{codename}",
            "external_id": f"external-id/{found.external_id}",
        }

    def spec(codename: str) -> dict[str, Any]:
        terms = ["codename/logo", "external-id/term-brand", "00000000-0000-4000-8000-0000000000aa"]
        return {
            "assets": [
                {"key": f"by_{form}", "source": str(image), "collection": ref, "elements": {"tags": terms}}
                for form, ref in forms(codename).items()
            ]
        }  # fmt: skip

    editors_before = {a.id: a.model_dump() for a in editor.assets.values()}
    stack.runner.set_config({"spec": json.dumps(spec("marketing"))})
    stack.runner.up()
    ids = stack.outputs()["ids"]

    def collection_of(key: str) -> str | None:
        reference = stack.client.assets.get(ids[key]).collection
        return reference.reference.id if reference and reference.reference else None

    assert {collection_of(f"by_{form}") for form in forms("marketing")} == {collections["marketing"].id}
    assert no_changes(stack.preview()), "every form previews as no change"
    assert no_changes(stack.refresh()), "every form refreshes as no change (the API answers by id)"
    assert no_changes(stack.preview())

    stack.runner.set_config({"spec": json.dumps(spec("legal"))})
    stack.runner.up()
    assert stack.outputs()["ids"] == ids, "an update in place"
    assert {collection_of(f"by_{form}") for form in forms("legal")} == {collections["legal"].id}
    assert no_changes(stack.refresh())

    stack.destroy()
    assert {a.id: a.model_dump() for a in stack.client.assets.list()} == editors_before
    stack.close()
