"""The migration toolkit (``@kontent-ai/migration-toolkit``) exports four items and the 40 assets
they use from one emulator into a zip file and imports it into another.

Expectation: every asset arrives with its codename, file name, size, bytes and descriptions per
language, except where the toolkit documents or codes a transformation (cited per rule below)."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

import pytest

from kontent_resources.emulator import EmulatorServer

from .conftest import environment, run_tool
from .snapshot import snapshot
from .source import ASSET_COUNT, FOLDERS, ITEM_COUNT, SourceAsset, seed_source, seeded

pytestmark = pytest.mark.slow


def _expected_asset(moved: dict[str, Any], asset: SourceAsset) -> dict[str, Any]:
    top_level = {folder["codename"] for folder in FOLDERS}
    return moved | {
        # export-manager.js: `title: asset.title ?? ""`: an untitled asset is imported with ""
        "title": "" if asset.title is None else asset.title,
        # README, "How are referenced content items & asset handled?": external_id `asset_{codename}`
        "external_id": f"asset_{asset.codename}",
        # assets-importer.js uploads with `contentType: mime.getType(filename)`
        "type": mimetypes.guess_type(asset.file_name)[0] or "application/octet-stream",
        # export-manager.js looks the asset's folder up in `listAssetFolders().data.items`, the
        # top-level folders only: an asset in a nested folder is imported at the root
        "folder": moved["folder"] if moved["folder"] and moved["folder"][-1] in top_level else (),
    }


def test_export_then_import_moves_every_asset_and_item(
    source: EmulatorServer, seeded_target: EmulatorServer, tmp_path: Path
) -> None:
    assets = seed_source(source)
    # README, "Import": the target's structure (types, languages, collections, workflows …) must be
    # consistent with the source; folders are referenced by codename, so they are made beforehand.
    with seeded_target.client() as http:
        http.post("/folders", json={"folders": FOLDERS}).raise_for_status()

    result = run_tool(
        "migrate",
        {
            "source": environment(source),
            "target": environment(seeded_target),
            "language": "en-US",
            "items": [f"gallery_{n}" for n in range(ITEM_COUNT)],
            "zip": "export.zip",
        },
        tmp_path,
    )

    assert result["errors"] == []
    assert result["exported"] == {"items": ITEM_COUNT, "assets": ASSET_COUNT}
    assert result["imported"] == {"assets": ASSET_COUNT, "editedAssets": 0, "items": 4, "variants": 4}
    before, after = snapshot(source), snapshot(seeded_target)
    assert after["folders"] == before["folders"]
    assert before["snippets"], "the source has a snippet (the toolkit reads them to flatten types)"
    untitled = [a for a in assets if a.title is None]
    assert untitled
    assert any(a.folder in ("events", "events_2024") for a in assets)
    for asset in assets:
        moved = before["assets"][asset.codename]
        assert moved == seeded(asset), asset.codename
        assert after["assets"][asset.codename] == _expected_asset(moved, asset), asset.codename
    for n in range(ITEM_COUNT):
        codename = f"gallery_{n}"
        assert after["items"][codename] == before["items"][codename]
