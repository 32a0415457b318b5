"""Issue 12, the refactor suite: the changes Pulumi users make to a program keep the stack's objects
(ids and URLs), or the preview says why not, and nothing outside the stack is touched.

Each step checks the emulator's contents, not only what the engine reports. An editor's own asset
sits in the same element as the stack's links throughout.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kontent_resources.client import KontentClient
from kontent_resources.models.assets import AssetCreate
from kontent_resources.models.common import RequestReference
from kontent_resources.models.variants import AssetElementValue, VariantElementUpsert
from kontent_resources.sandbox import HermeticPulumi
from tests.e2e.kontent_stack import no_changes
from tests.reliability.helpers import RawStack

pytestmark = pytest.mark.e2e

HOME = ("codename/home", "codename/en-US")


def _image(path: Path, colour: str = "teal") -> str:
    Image.new("RGB", (64, 32), colour).save(path)
    return str(path)


def _editors_asset(client: KontentClient, folder: Path) -> str:
    """An editor's asset, already in home's hero image before the stack exists."""
    image = _image(folder / "editor.png", "olive")
    asset = client.assets.add(
        AssetCreate(
            file_reference=client.files.upload(image).to_request(), title="Editor's", codename="editors"
        )
    )
    entry = AssetElementValue.of(RequestReference(id=asset.id))
    client.variants.upsert(
        *HOME, [VariantElementUpsert.assets(RequestReference(codename="hero_image"), [entry])]
    )
    return asset.id


def _hero(client: KontentClient) -> set[str]:
    variant = client.variants.get(*HOME)
    return {e["id"] for el in variant.elements if isinstance(el.value, list) for e in el.value}


def _stack(sandbox: HermeticPulumi, emulator: Any, tmp_path: Path) -> RawStack:
    stack = RawStack(sandbox, emulator, tmp_path)
    stack.runner.set_config({"kontent:maxRequestsPerSecond": "0"})
    return stack


def _up(stack: RawStack, spec: dict[str, Any]) -> dict[str, str]:
    stack.runner.set_config({"spec": json.dumps(spec)})
    stack.runner.up(on_output=stack.log.append)
    return dict(stack.outputs()["ids"])


def _program(source: str, opts: dict[str, Any] | None = None) -> dict[str, Any]:
    """A folder, an asset in it, an adopted asset with a user external id, and two links."""
    with_opts = {"opts": opts} if opts else {}
    home = {"item": HOME[0], "language": HOME[1], "element": "hero_image"}
    return {
        "folders": [{"key": "brand", "name": "Brand", **with_opts}],
        "assets": [
            {"key": "logo", "source": source, "title": "Logo", "folder": "@brand", **with_opts},
            {"key": "team", "source": source, "title": "Team", "external_id": "team-photo", "adopt": True,
             **with_opts},
        ],
        "links": [
            {"key": "logo_link", **home, "asset": "@logo", **with_opts},
            {"key": "editors_link", **home, "asset": "codename/editors", **with_opts},
        ],
    }  # fmt: skip


def _changes(summary: dict[Any, int]) -> dict[str, int]:
    return {
        str(getattr(op, "value", op)): n
        for op, n in summary.items()
        if str(getattr(op, "value", op)) != "same"
    }


@pytest.mark.timeout(600)
@pytest.mark.parametrize(
    ("before_opts", "after_opts", "component_change"),
    [
        (None, {"component": "brand_kit", "aliases": [{"root": True}]}, {"create": 1}),
        ({"component": "brand_kit"}, {"aliases": [{"component": "brand_kit"}]}, {"delete": 1}),
    ],
    ids=["into", "out-of"],
)
def test_moving_into_or_out_of_a_component_with_an_alias_keeps_every_object(
    pulumi_sandbox: HermeticPulumi,
    emulator: Any,
    tmp_path: Path,
    before_opts: dict[str, Any] | None,
    after_opts: dict[str, Any],
    component_change: dict[str, int],
) -> None:
    stack = _stack(pulumi_sandbox, emulator, tmp_path)
    editors = _editors_asset(stack.client, tmp_path)
    source = _image(tmp_path / "logo.png")
    before = _up(stack, _program(source, before_opts))
    urls = {a.id: a.url for a in stack.client.assets.list()}
    assert _hero(stack.client) == {editors, before["logo"]}

    moved = _program(source, after_opts)
    assert _changes(stack.preview(moved)) == component_change, "only the component itself changes"
    assert _up(stack, moved) == before
    assert {a.id: a.url for a in stack.client.assets.list()} == urls
    assert _hero(stack.client) == {editors, before["logo"]}
    assert no_changes(stack.preview())
    stack.close()


@pytest.mark.timeout(600)
def test_moving_into_a_component_without_an_alias_never_deletes_what_the_new_resources_manage(
    pulumi_sandbox: HermeticPulumi, emulator: Any, tmp_path: Path
) -> None:
    """Without an alias, Pulumi sees new resources and removes the old ones. The new ones make their
    own objects where the identity is the stack's (generated ids), and take over the same object where
    the user named it (an adopted external id, a link to the same asset): that one is never deleted."""
    stack = _stack(pulumi_sandbox, emulator, tmp_path)
    editors = _editors_asset(stack.client, tmp_path)
    source = _image(tmp_path / "logo.png")
    before = _up(stack, _program(source))

    after = _up(stack, _program(source, {"component": "brand_kit"}))
    assets = {a.id: a for a in stack.client.assets.list()}
    assert after["team"] == before["team"], "the adopted asset is the same object, still there"
    assert after["logo"] != before["logo"], "a generated identity is the new resource's own"
    assert set(assets) == {editors, after["logo"], after["team"]}, "the old logo went, nothing else"
    assert _hero(stack.client) == {editors, after["logo"]}, "the link to the editor's asset survived"
    tree = stack.client.folders.get()
    assert [f.id for f in tree.folders] == [after["brand"]]
    assert assets[after["logo"]].folder.id == after["brand"]  # type: ignore[union-attr]
    assert "kept asset" in "".join(stack.log), "the engine output says why the old one was not deleted"
    assert no_changes(stack.preview()), "the next preview is quiet over objects that exist"

    stack.destroy()
    assert {a.id for a in stack.client.assets.list()} == {editors}
    assert _hero(stack.client) == {editors}
    stack.close()


@pytest.mark.timeout(600)
def test_renaming_without_an_alias_keeps_an_adopted_object(
    pulumi_sandbox: HermeticPulumi, emulator: Any, tmp_path: Path
) -> None:
    stack = _stack(pulumi_sandbox, emulator, tmp_path)
    editors = _editors_asset(stack.client, tmp_path)
    source = _image(tmp_path / "logo.png")
    spec = _program(source)
    before = _up(stack, spec)
    for entry in (*spec["assets"], *spec["links"]):
        entry["name_as"] = f"renamed-{entry['key']}"
    after = _up(stack, spec)
    assert after["team"] == before["team"]
    assert stack.client.assets.get(before["team"]).title == "Team"
    assert _hero(stack.client) == {editors, after["logo"]}
    assert no_changes(stack.preview())
    stack.close()


@pytest.mark.timeout(600)
def test_another_form_of_the_same_link_reference_is_an_update_not_a_replacement(
    pulumi_sandbox: HermeticPulumi, emulator: Any, tmp_path: Path
) -> None:
    stack = _stack(pulumi_sandbox, emulator, tmp_path)
    editors = _editors_asset(stack.client, tmp_path)
    source = _image(tmp_path / "logo.png")
    spec = _program(source)
    before = _up(stack, spec)
    logo = stack.client.assets.get(before["logo"])
    home_id = stack.client.items.get(HOME[0]).id
    english = stack.client.languages.get(HOME[1]).id
    spec["links"][0].update(item=home_id, language=english, asset=f"codename/{logo.codename}")
    spec["links"][1].update(item=home_id, asset=editors)

    assert _changes(stack.preview(spec)) == {"update": 2}, "the same target in other words: no replacement"
    writes_before = stack.emulator.counters()["by_endpoint"].get(
        "PUT /items/{ref}/variants/{language_ref}", 0
    )
    after = _up(stack, spec)
    assert after == before
    assert _hero(stack.client) == {editors, before["logo"]}
    writes = stack.emulator.counters()["by_endpoint"].get("PUT /items/{ref}/variants/{language_ref}", 0)
    assert writes == writes_before, "the element already holds both entries: nothing is written"
    assert no_changes(stack.preview())
    assert no_changes(stack.refresh())
    stack.close()


@pytest.mark.timeout(600)
def test_adding_a_codename_to_a_folder_takes_its_subfolder_and_assets_along(
    pulumi_sandbox: HermeticPulumi, emulator: Any, tmp_path: Path
) -> None:
    stack = _stack(pulumi_sandbox, emulator, tmp_path)
    source = _image(tmp_path / "logo.png")
    spec: dict[str, Any] = {
        "folders": [{"key": "top", "name": "Top"}, {"key": "sub", "name": "Sub", "parent": "@top"}],
        "assets": [{"key": "logo", "source": source, "folder": "@sub"}],
    }
    before = _up(stack, spec)
    url = stack.client.assets.get(before["logo"]).url
    spec["folders"][0]["codename"] = "top_folder"
    after = _up(stack, spec)

    tree = stack.client.folders.get()
    assert [(f.codename, f.id) for f in tree.folders] == [("top_folder", after["top"])]
    assert [f.id for f in tree.folders[0].folders] == [after["sub"]], "the sub-folder moved with it"
    logo = stack.client.assets.get(before["logo"])
    assert logo.folder is not None
    assert (logo.id, logo.url, logo.folder.id) == (before["logo"], url, after["sub"]), "the asset followed"
    assert no_changes(stack.preview())
    stack.destroy()
    assert stack.client.folders.get().folders == []
    stack.close()


@pytest.mark.timeout(600)
def test_folder_moves_keep_their_identity_or_the_preview_says_why_not(
    pulumi_sandbox: HermeticPulumi, emulator: Any, tmp_path: Path
) -> None:
    stack = _stack(pulumi_sandbox, emulator, tmp_path)
    source = _image(tmp_path / "logo.png")
    spec: dict[str, Any] = {
        "folders": [
            {"key": "a", "name": "A"},
            {"key": "alpha", "name": "Alpha", "parent": "@a"},
            {"key": "kept", "name": "Kept", "parent": "@a", "external_id": "kept-folder"},
        ],
        "assets": [{"key": "logo", "source": source, "folder": "@kept"}],
    }
    _up(stack, spec)
    tree_before = stack.client.folders.get().model_dump()

    spec["folders"][2].pop("parent")
    with pytest.raises(Exception, match="cannot move to another parent while it keeps its external_id"):
        stack.preview(spec)
    assert stack.client.folders.get().model_dump() == tree_before, "refused before anything was written"

    spec["folders"][2]["parent"] = "@a"
    spec["folders"][1].pop("parent")
    stack.log.clear()
    stack.preview(spec)
    assert "must change" not in "".join(stack.log), "the moved folder keeps its codename (folder_move.py)"
    after = _up(stack, spec)
    moved = stack.client.folders.get().find(RequestReference(id=after["alpha"]))
    assert moved is not None
    assert moved[1] is None, "at the root now"
    assert moved[0].codename == "alpha"
    assert no_changes(stack.preview())
    stack.close()


@pytest.mark.timeout(600)
def test_two_stacks_linking_into_one_element_at_once_lose_nothing(
    emulator: Any, engine_bin: Path, tmp_path: Path
) -> None:
    """The API has no conditional write: the providers of two stacks deploying at once on one machine
    take turns on each variant, so every link of both ends up in the element."""
    stacks: list[RawStack] = []
    with (
        HermeticPulumi(tmp_path / "backend-a") as sandbox_a,
        HermeticPulumi(tmp_path / "backend-b") as sandbox_b,
    ):
        for sandbox, team in ((sandbox_a, "a"), (sandbox_b, "b")):
            stacks.append(_stack(sandbox, emulator, tmp_path / team))
        client = stacks[0].client
        image = _image(tmp_path / "shared.png")
        theirs = [
            client.assets.add(
                AssetCreate(file_reference=client.files.upload(image).to_request(), title=f"{n}")
            )
            for n in range(12)
        ]
        home = {"item": HOME[0], "language": HOME[1], "element": "hero_image"}
        for index, stack in enumerate(stacks):
            links = [{"key": f"link{n}", **home, "asset": a.id} for n, a in enumerate(theirs[index::2])]
            stack.runner.set_config({"spec": json.dumps({"links": links})})
        with ThreadPoolExecutor(2) as pool:
            for done in [pool.submit(stack.runner.up) for stack in stacks]:
                done.result()
        assert _hero(client) == {a.id for a in theirs}, "no stack's reference was overwritten by the other"
        for stack in stacks:
            assert no_changes(stack.refresh())
            stack.close()
