"""Folder and Asset through the real engine against the emulator: the whole lifecycle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kontent_resources.models.assets import AssetCreate, AssetUpsert
from kontent_resources.models.common import RequestReference
from kontent_resources.models.folders import folder_rename
from tests.e2e.kontent_stack import KontentStack, no_changes, op_counts

pytestmark = pytest.mark.e2e


def _image(path: Path, size: tuple[int, int], color: str) -> str:
    Image.new("RGB", size, color).save(path)
    return str(path)


def test_folder_lifecycle(stack: KontentStack) -> None:
    spec: dict[str, Any] = {
        "folders": [{"key": "brand", "name": "Brand"}, {"key": "logos", "name": "Logos", "parent": "brand"}]
    }
    stack.apply(spec)
    ids = stack.outputs()["folders"]
    tree = stack.client.folders.get()
    assert [f.name for f in tree.folders] == ["Brand"]
    assert [f.name for f in tree.folders[0].folders] == ["Logos"]
    assert no_changes(stack.preview())

    spec["folders"][1]["name"] = "Logotypes"
    stack.apply(spec)
    assert stack.outputs()["folders"]["logos"] == ids["logos"], "a rename updates in place"

    spec["folders"].insert(0, {"key": "archive", "name": "Archive"})
    spec["folders"][2]["parent"] = "archive"
    up = stack.apply(spec)
    assert op_counts(up.summary.resource_changes).get("replace") == 1
    moved = stack.outputs()["folders"]["logos"]
    assert moved != ids["logos"]
    found = stack.client.folders.get().find(RequestReference(id=moved))
    assert found is not None
    assert found[1] is not None
    assert found[1].name == "Archive"
    assert no_changes(stack.refresh())

    stack.client.folders.patch([folder_rename(RequestReference(id=ids["brand"]), "Renamed elsewhere")])
    assert stack.refresh().get("update") == 1
    assert stack.preview().get("update") == 1, "the next up puts the declared name back"
    stack.apply(spec)
    assert stack.client.folders.get().find(RequestReference(id=ids["brand"]))[0].name == "Brand"  # type: ignore[index]

    stack.destroy()
    assert stack.client.folders.get().folders == []


def test_asset_lifecycle(stack: KontentStack, tmp_path: Path) -> None:
    logo = _image(tmp_path / "logo.png", (800, 400), "orange")
    spec: dict[str, Any] = {
        "folders": [{"key": "brand", "name": "Brand"}],
        "assets": [
            {
                "key": "logo",
                "source": logo,
                "title": "Logo",
                "folder": "brand",
                "descriptions": {"en-US": "Company logo", "es-ES": "Logotipo"},
            }
        ],
    }
    stack.apply(spec)
    asset_id = stack.outputs()["assets"]["logo"]
    asset = stack.client.assets.get(asset_id)
    assert (asset.title, asset.image_width, asset.image_height, asset.type) == ("Logo", 800, 400, "image/png")
    assert {d.description for d in asset.descriptions if d.description} == {"Company logo", "Logotipo"}
    assert no_changes(stack.preview())

    spec["assets"][0]["title"] = "Company logo"
    stack.apply(spec)
    assert stack.client.assets.get(asset_id).title == "Company logo"

    first_file = stack.outputs()["file_references"]["logo"]
    _image(tmp_path / "logo.png", (600, 300), "navy")
    stack.apply(spec)
    swapped = stack.client.assets.get(asset_id)
    assert stack.outputs()["assets"]["logo"] == asset_id, "a new file keeps the asset id"
    assert swapped.file_reference is not None
    assert swapped.file_reference.id != first_file
    assert (swapped.image_width, swapped.image_height) == (600, 300)
    assert no_changes(stack.refresh())

    stack.client.assets.upsert(asset_id, AssetUpsert(title="Changed in the UI"))
    assert stack.refresh().get("update") == 1
    assert stack.preview().get("update") == 1
    stack.apply(spec)
    assert stack.client.assets.get(asset_id).title == "Company logo"

    stack.client.assets.delete(asset_id)
    assert stack.refresh().get("delete") == 1, "a deleted asset disappears from the state on refresh"
    stack.apply(spec)
    recreated = stack.outputs()["assets"]["logo"]
    assert stack.client.assets.get(recreated).title == "Company logo"

    spec["assets"][0]["external_id"] = "brand-logo"
    up = stack.apply(spec)
    assert op_counts(up.summary.resource_changes).get("replace") == 1
    assert stack.client.assets.get("external-id/brand-logo").id == stack.outputs()["assets"]["logo"]

    stack.destroy()
    assert list(stack.client.assets.list()) == []
    assert stack.client.folders.get().folders == []


def test_folder_move_with_assets_converges_in_one_up(stack: KontentStack, tmp_path: Path) -> None:
    spec: dict[str, Any] = {
        "folders": [
            {"key": "a", "name": "A"},
            {"key": "b", "name": "B"},
            {"key": "inner", "name": "Inner", "parent": "a"},
        ],
        "assets": [
            {"key": f"img{i}", "source": _image(tmp_path / f"img{i}.png", (64, 64), "red"), "folder": "inner"}
            for i in range(3)
        ],
    }
    stack.apply(spec)
    asset_ids = stack.outputs()["assets"]

    spec["folders"][2]["parent"] = "b"
    stack.apply(spec)
    inner = stack.outputs()["folders"]["inner"]
    found = stack.client.folders.get().find(RequestReference(id=inner))
    assert found is not None
    assert found[1] is not None
    assert found[1].name == "B"
    for key, asset_id in asset_ids.items():
        folder = stack.client.assets.get(asset_id).folder
        assert folder is not None, key
        assert folder.id == inner, key
    assert stack.outputs()["assets"] == asset_ids, "assets move, they are not recreated"
    assert no_changes(stack.preview())


def test_state_holds_no_api_key(stack: KontentStack, tmp_path: Path) -> None:
    """The key is a secret config value: encrypted in the state, and in no file or output as text."""
    (tmp_path / "doc.txt").write_text("hello")
    stack.apply({"assets": [{"key": "doc", "source": str(tmp_path / "doc.txt")}]})
    key = stack.emulator.api_key
    sandbox = stack.runner.sandbox
    for path in [*sandbox.backend.rglob("*"), *sandbox.home.rglob("*.json")]:
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path
    exported = sandbox.run(["stack", "export", "--stack", "test"], stack.runner.work_dir)
    assert key not in exported
    assert "ciphertext" in exported
    assert key not in "".join(stack.log)


def test_adopting_an_existing_asset(stack: KontentStack, tmp_path: Path) -> None:
    """The substitute for `pulumi import`: an existing asset is taken over only when asked."""
    logo = _image(tmp_path / "logo.png", (300, 100), "green")
    made_elsewhere = stack.client.assets.upsert(
        "external-id/legacy-logo",
        AssetUpsert(title="Legacy logo", file_reference=stack.client.files.upload(logo).to_request()),
    ).value
    declared: dict[str, Any] = {
        "assets": [{"key": "logo", "source": logo, "title": "Logo", "external_id": "legacy-logo"}]
    }
    with pytest.raises(Exception, match=r"already exists.*adopt=True"):
        stack.apply(declared)
    assert stack.client.assets.get(made_elsewhere.id).title == "Legacy logo", "nothing was changed"

    declared["assets"][0]["adopt"] = True
    stack.apply(declared)
    assert stack.outputs()["assets"]["logo"] == made_elsewhere.id
    assert stack.client.assets.get(made_elsewhere.id).title == "Logo"
    assert len(list(stack.client.assets.list())) == 1
    assert no_changes(stack.preview())


def test_refresh_of_a_small_stack_costs_its_assets_not_the_environment(
    stack: KontentStack, tmp_path: Path
) -> None:
    """Issue 16: 2 stack assets among 500 of other people's refresh in a few calls, not 11 pages."""
    other = tmp_path / "other.txt"
    other.write_text("someone else's file\n")
    for n in range(500):
        reference = stack.client.files.upload(other, file_name=f"other-{n}.txt", content_type="text/plain")
        stack.client.assets.add(AssetCreate(file_reference=reference.to_request(), title=f"Theirs {n}"))
    spec = {
        "assets": [
            {"key": "logo", "source": _image(tmp_path / "logo.png", (80, 40), "orange"), "title": "Logo"},
            {"key": "icon", "source": _image(tmp_path / "icon.png", (32, 32), "teal"), "title": "Icon"},
        ]
    }
    stack.apply(spec)
    stack.emulator.reset_counters()
    assert no_changes(stack.refresh())
    reads = stack.emulator.counters()["by_endpoint"]
    print(f"\nrefresh of 2 assets among 502: {reads}")
    assert reads.get("GET /assets", 0) + reads.get("GET /assets/{ref}", 0) <= 3, reads
    assert sum(n for endpoint, n in reads.items() if not endpoint.startswith("GET")) == 0
