"""data-ops (``@kontent-ai/data-ops``) backs up a whole environment (its default: every entity) and
restores it into a new one. Its CLI builds an https URL, so ``run_tool.mjs`` calls the library's
backup and restore functions with a management client on the emulator's URL.

Expectation: the target equals the source object by object (languages, folders, 40 assets with
titles, file names, sizes, bytes, descriptions per language, types, items and their variants),
except where data-ops documents or codes a transformation (cited below)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kontent_resources.emulator import EmulatorServer
from kontent_resources.emulator.util import codename_base

from .conftest import environment, run_tool
from .snapshot import snapshot
from .source import ASSET_COUNT, seed_source, seeded

pytestmark = pytest.mark.slow


def _regenerated_codenames(folders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """assetFolders.js sends `name` and `external_id` only: the target generates each codename from
    the name ("Unless specified, … generated from the folder's name")."""
    return [
        f | {"codename": codename_base(f["name"]), "folders": _regenerated_codenames(f["folders"])}
        for f in folders
    ]


def _folder_codenames(
    folders: list[dict[str, Any]], parent: tuple[str, ...] = ()
) -> dict[tuple[str, ...], tuple[str, ...]]:
    paths: dict[tuple[str, ...], tuple[str, ...]] = {}
    for f in folders:
        path = (*parent, f["codename"])
        paths[path] = (*parent, codename_base(f["name"]))
        paths |= _folder_codenames(f["folders"], path)
    return paths


@pytest.mark.parametrize("limits", ["off", "real"])
def test_full_backup_then_restore_into_a_new_environment(
    source: EmulatorServer, new_target: EmulatorServer, tmp_path: Path, limits: str
) -> None:
    """With ``real`` the emulator enforces the API's limits (10/s, 400/min) while the tool runs, as
    it does by default: the management SDK retries each 429 and nothing is lost or doubled."""
    assets = seed_source(source)
    if limits == "real":
        for emu in (source, new_target):
            emu.set_rate_limit(enabled=True, per_second=10, per_minute=400)
    run_tool("backup", {"source": environment(source), "zip": "backup.zip"}, tmp_path)
    run_tool("restore", {"target": environment(new_target), "zip": "backup.zip"}, tmp_path)
    for emu in (source, new_target):
        emu.set_rate_limit(enabled=False)
    assert new_target.state()["unreferenced_files"] == 0

    before, after = snapshot(source), snapshot(new_target)
    assert len(after["assets"]) == ASSET_COUNT
    assert after["languages"] == before["languages"]
    assert after["types"] == before["types"]
    assert after["snippets"] == before["snippets"]
    assert after["content_types"] == before["content_types"]
    assert after["items"] == before["items"]
    assert after["folders"] == _regenerated_codenames(before["folders"])
    renamed = _folder_codenames(before["folders"])
    assert any(old != new for old, new in renamed.items()), "a folder whose codename is not its name's"
    assert any(a.title is None for a in assets)
    assert any(a.title == "" for a in assets)
    for asset in assets:
        moved = before["assets"][asset.codename]
        assert moved == seeded(asset), asset.codename
        # assets.js: `external_id: fileAsset.external_id || fileAsset.codename` (the source has one)
        expected = moved | {"folder": renamed.get(moved["folder"], ())}
        assert after["assets"][asset.codename] == expected, asset.codename
