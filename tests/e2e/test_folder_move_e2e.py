"""A folder moved to another parent keeps its codename, its sub-folders and its assets, in one ``up``.

The API cannot move folders or change a codename: the old folder goes first (delete-before-replace),
the stack's assets wait in a parking folder, and the new folder takes the old codename and the
assets back (``providers/folder_move.py``). Before, the new folder was made first and got
``alpha_2``: every ``codename/alpha`` reference broke.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.models import FolderTree
from kontent_resources.sandbox import HermeticPulumi
from tests.e2e.kontent_stack import no_changes
from tests.reliability.helpers import RawStack

pytestmark = pytest.mark.e2e


def _up(stack: RawStack, spec: dict[str, Any]) -> dict[str, str]:
    stack.runner.set_config({"spec": json.dumps(spec)})
    stack.runner.up(on_output=stack.log.append)
    return dict(stack.outputs()["ids"])


def _where(tree: FolderTree) -> dict[str, tuple[str | None, str | None]]:
    """codename → (id, parent's codename) of every folder."""
    return {str(f.codename): (f.id, p.codename if p else None) for f, p in tree.walk()}


@pytest.mark.timeout(600)
def test_a_moved_folder_keeps_its_codename_subfolders_and_assets(
    pulumi_sandbox: HermeticPulumi, emulator: EmulatorServer, tmp_path: Path
) -> None:
    stack = RawStack(pulumi_sandbox, emulator, tmp_path)
    stack.runner.set_config({"kontent:maxRequestsPerSecond": "0"})
    image = tmp_path / "logo.png"
    Image.new("RGB", (64, 64), "red").save(image)
    spec: dict[str, Any] = {
        "folders": [
            {"key": "a", "name": "A"},
            {"key": "b", "name": "B"},
            {"key": "alpha", "name": "Alpha", "parent": "@a"},
            {"key": "inner", "name": "Inner", "parent": "@alpha"},
        ],
        "assets": [
            {"key": "logo", "source": str(image), "title": "Logo", "folder": "@alpha"},
            {"key": "deep", "source": str(image), "title": "Deep", "folder": "@inner"},
        ],
    }
    _up(stack, spec)
    # Declared by codename: nothing in the program ties it to the Folder resource.
    spec["assets"].append({"key": "pic", "source": str(image), "title": "Pic", "folder": "codename/alpha"})
    before = _up(stack, spec)
    assert _where(stack.client.folders.get())["alpha"] == (before["alpha"], "a")

    spec["folders"][2]["parent"] = "@b"
    after = _up(stack, spec)

    where = _where(stack.client.folders.get())
    assert set(where) == {"a", "b", "alpha", "inner"}, "same codenames, and no parking folder left"
    assert where["alpha"] == (after["alpha"], "b")
    assert where["inner"] == (after["inner"], "alpha")
    for key, folder in (("logo", "alpha"), ("pic", "alpha"), ("deep", "inner")):
        asset = stack.client.assets.get(after[key])
        assert asset.id == before[key], f"{key} moved, it was not recreated"
        assert asset.folder is not None, key
        assert asset.folder.id == where[folder][0], key
    assert emulator.state()["unreferenced_files"] == 0, "a move uploads nothing"
    assert no_changes(stack.preview())
    # pic's state still names the old folder's id (nothing in the program changed for it): the
    # first refresh records the new one, and finds no drift to undo.
    assert stack.refresh().get("update", 0) <= 1
    assert no_changes(stack.refresh())
    assert no_changes(stack.preview()), "the asset is where it was declared: nothing to put back"
    # A reference by codename is no dependency: the engine would remove the folder while pic is
    # still in it. pic goes first, as its own change.
    spec["assets"].pop()
    _up(stack, spec)
    stack.destroy()
    assert stack.client.folders.get().folders == []
    stack.close()
