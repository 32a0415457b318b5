"""Issue 35: ``decorative`` reaches the provider from ``Asset``, ``asset_inputs`` and an
``AssetDirectory``'s metadata file (``"decorative": true``), in both of the component's modes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from kontent_resources import Asset, AssetDirectory
from kontent_resources.components._plan import plan_directory
from kontent_resources.providers.asset_set import members_of
from tests.unit.test_outputs_on_first_use import run_program
from tests.unit.test_unsendable_inputs import RecordingMocks, engine  # noqa: F401 (a fixture)


def _library(root: Path) -> Path:
    for name in ("logo.png", "divider.png"):
        Image.new("RGB", (20, 20), "orange").save(root / name)
    metadata = {"divider.png": {"decorative": True}, "logo.png": {"descriptions": {"en-US": "Logo"}}}
    (root / "assets.json").write_text(json.dumps(metadata))
    return root


def _plan_of(root: Path) -> dict[str, bool]:
    plan = plan_directory(
        "lib", root, include=("**/*",), exclude=(), metadata_file="assets.json", default_descriptions=None
    )
    return {asset.path: asset.decorative for asset in plan.assets}


def test_the_metadata_file_marks_a_file_decorative(tmp_path: Path) -> None:
    assert _plan_of(_library(tmp_path)) == {"divider.png": True, "logo.png": False}
    (tmp_path / "assets.json").write_text('{"divider.png": {"decorative": "yes"}}')
    with pytest.raises(ValueError, match=r"entry 'divider.png': decorative: Input should be a valid boolean"):
        _plan_of(tmp_path)


def test_decorative_reaches_each_asset_and_each_member(
    engine: RecordingMocks,  # noqa: F811 (the fixture)
    tmp_path: Path,
) -> None:
    root = _library(tmp_path)

    def program() -> None:
        Asset("plain", source=str(root / "logo.png"), external_id="p")
        Asset("marked", source=str(root / "divider.png"), decorative=True, external_id="m")
        AssetDirectory("each", root)
        AssetDirectory("set", root, one_resource=True)

    run_program(program)
    recorded = engine.inputs
    assert recorded["plain"].get("decorative") is None, "unset, not false"
    assert recorded["marked"]["decorative"] is True
    assert recorded["each/divider.png"]["decorative"] is True
    assert recorded["each/logo.png"].get("decorative") is None
    members = members_of(recorded["set/assets"])
    assert members["divider.png"]["decorative"] is True
    assert members["logo.png"].get("decorative") is None
