"""AssetDirectory through the real engine against the emulator: the shipped example program, and
a tree that changes between runs (add, edit, rename, move with moved_from, delete)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from PIL import Image
from pulumi.automation import CommandError

from kontent_resources.client import KontentClient, KontentNotFoundError, RateLimit
from kontent_resources.components import title_from_file_name
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.models import Asset
from kontent_resources.sandbox import HermeticPulumi
from kontent_resources.sandbox.project import ProjectRunner
from tests.e2e.kontent_stack import no_changes, op_counts

pytestmark = pytest.mark.e2e

PROGRAM = Path(__file__).resolve().parents[2] / "programs" / "asset-directory"


def _copy_program(tmp_path: Path) -> Path:
    """The example program in a fresh folder: its files, and a Pulumi.yaml with the same name and
    runtime, minus the virtualenv path (relative to the repository, wrong from here)."""
    project = tmp_path / "asset-directory"
    shutil.copytree(
        PROGRAM, project, ignore=shutil.ignore_patterns("__pycache__", ".kontent", "Pulumi.*.yaml")
    )
    name = yaml.safe_load((PROGRAM / "Pulumi.yaml").read_text())["name"]
    (project / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
    return project


class DirectoryStack:
    """One stack of the copied program, wired to the emulator, with a client to inspect it."""

    def __init__(self, sandbox: HermeticPulumi, emulator: EmulatorServer, tmp_path: Path) -> None:
        self.project = _copy_program(tmp_path)
        self.library = self.project / "library"
        self.runner = ProjectRunner(self.project, sandbox, "test")
        self.runner.use_environment(emulator)
        self.client = KontentClient(
            emulator.environment_id, emulator.api_key, emulator.base_url, rate_limit=RateLimit(enabled=False)
        )
        self.log: list[str] = []

    def up(self) -> dict[str, int]:
        changes = self.runner.up(on_output=self.log.append).summary.resource_changes
        return {kind: count for kind, count in op_counts(changes).items() if kind != "same"}

    def preview_is_empty(self) -> bool:
        return no_changes(op_counts(self.runner.preview(on_output=self.log.append).change_summary))

    def outputs(self) -> dict[str, Any]:
        return self.runner.outputs()

    def emulator_assets(self) -> list[Asset]:
        return list(self.client.assets.list())

    def folder_paths(self) -> set[str]:
        """The environment's folder tree as 'parent/child' paths."""
        paths: set[str] = set()
        pending = [("", folder) for folder in self.client.folders.get().folders]
        while pending:
            prefix, folder = pending.pop()
            path = f"{prefix}{folder.name}"
            paths.add(path)
            pending.extend((f"{path}/", child) for child in folder.folders)
        return paths

    def metadata(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads((self.library / "assets.json").read_text())
        return result

    def write_metadata(self, metadata: dict[str, Any]) -> None:
        (self.library / "assets.json").write_text(json.dumps(metadata, indent=2))

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def directory(
    pulumi_sandbox: HermeticPulumi, emulator: EmulatorServer, tmp_path: Path
) -> Iterator[DirectoryStack]:
    stack = DirectoryStack(pulumi_sandbox, emulator, tmp_path)
    yield stack
    stack.close()


def _image(path: Path, size: tuple[int, int], color: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path)


def _shipped_files() -> list[str]:
    library = PROGRAM / "library"
    return sorted(
        str(path.relative_to(library))
        for path in library.rglob("*")
        if path.is_file() and path.name != "assets.json" and not path.name.startswith(".")
    )


def test_shipped_library_becomes_folders_and_assets(directory: DirectoryStack) -> None:
    files = _shipped_files()
    folders = sorted({str(Path(f).parent) for f in files} - {"."})
    # the stack, its identity seed (StackIdentity), the component, one folder per directory and
    # one asset per file; the preview of a new stack checks cleanly with ids still to be derived
    expected = {"create": 3 + len(folders) + len(files)}
    assert directory.runner.preview(on_output=directory.log.append).change_summary == expected
    # The sandbox records a new stack's identity (and so the stack) in a run of its own first.
    assert directory.up() == {"create": expected["create"] - 2}
    state = directory.runner.export_state()["resources"]
    assert sum(r["type"].endswith("kontent:StackIdentity") for r in state) == 1
    outputs = directory.outputs()
    assert sorted(outputs["assets"]) == files
    assert sorted(outputs["urls"]) == files
    assert sorted(outputs["folders"]) == folders == ["brand", "photos", "photos/events"]
    assert directory.folder_paths() == {"brand", "photos", "photos/events"}
    assert len(directory.emulator_assets()) == len(files)

    metadata = directory.metadata()
    for relative in files:
        asset = directory.client.assets.get(outputs["assets"][relative])
        entry = metadata.get(relative, {})
        assert asset.title == entry.get("title", title_from_file_name(Path(relative).name)), relative
        assert asset.file_name == Path(relative).name
        assert asset.folder is not None
        assert asset.folder.id == outputs["folders"][str(Path(relative).parent)], relative
        texts = {d.description for d in asset.descriptions if d.description}
        assert set(entry.get("descriptions", {}).values()) <= texts, relative
        served = httpx.get(outputs["urls"][relative])
        assert served.content == (PROGRAM / "library" / relative).read_bytes(), relative
    assert directory.preview_is_empty()


def test_tree_changes_converge(directory: DirectoryStack) -> None:
    directory.up()
    ids: dict[str, str] = directory.outputs()["assets"]
    shipped = len(ids)
    assert directory.preview_is_empty()

    # a new file: exactly one new asset, titled after its name (hidden files are never uploaded)
    _image(directory.library / "photos" / "new-hire.png", (64, 48), "teal")
    (directory.library / "photos" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    assert directory.up() == {"create": 1}
    ids = directory.outputs()["assets"]
    new_id = ids["photos/new-hire.png"]
    assert len(directory.emulator_assets()) == shipped + 1
    first = directory.client.assets.get(new_id)
    assert first.title == "New hire"

    # new content: the same asset, a new file behind it
    _image(directory.library / "photos" / "new-hire.png", (120, 80), "navy")
    assert directory.up() == {"update": 1}
    assert directory.outputs()["assets"]["photos/new-hire.png"] == new_id
    swapped = directory.client.assets.get(new_id)
    assert swapped.file_reference is not None
    assert first.file_reference is not None
    assert swapped.file_reference.id != first.file_reference.id
    assert (swapped.image_width, swapped.image_height) == (120, 80)

    # a rename into a new directory: the new path is a new asset, the old one is deleted
    (directory.library / "team").mkdir()
    (directory.library / "photos" / "new-hire.png").rename(directory.library / "team" / "welcome.png")
    assert directory.up() == {"create": 2, "delete": 1}  # folder "team" + asset; old asset
    ids = directory.outputs()["assets"]
    assert "photos/new-hire.png" not in ids
    with pytest.raises(KontentNotFoundError):
        directory.client.assets.get(new_id)
    assets = directory.emulator_assets()
    assert len(assets) == shipped + 1
    assert [a.file_name for a in assets].count("welcome.png") == 1
    assert "new-hire.png" not in {a.file_name for a in assets}
    assert "team" in directory.folder_paths()

    # a move recorded with moved_from keeps the asset (and its id): an alias, updated in place
    logo_id = ids["brand/company-logo.png"]
    (directory.library / "brand" / "logos").mkdir()
    (directory.library / "brand" / "company-logo.png").rename(
        directory.library / "brand" / "logos" / "logo.png"
    )
    metadata = directory.metadata()
    metadata["brand/logos/logo.png"] = {
        **metadata.pop("brand/company-logo.png"),
        "moved_from": "brand/company-logo.png",
    }
    directory.write_metadata(metadata)
    assert directory.up() == {"create": 1, "update": 1}  # folder "brand/logos"; the logo
    outputs = directory.outputs()
    assert outputs["assets"]["brand/logos/logo.png"] == logo_id
    logo = directory.client.assets.get(logo_id)
    assert (logo.file_name, logo.title) == ("logo.png", "Company logo")
    assert logo.folder is not None
    assert logo.folder.id == outputs["folders"]["brand/logos"]
    assert len(directory.emulator_assets()) == shipped + 1
    assert directory.preview_is_empty()  # moved_from stays: the first path is the asset's identity
    refreshed = directory.runner.refresh(on_output=directory.log.append).summary.resource_changes
    assert no_changes(op_counts(refreshed))

    # bad input fails the preview early, naming the component and the fix
    directory.write_metadata({**metadata, "brand/missing.png": {"title": "Missing"}})
    with pytest.raises(CommandError, match="AssetDirectory 'library': the metadata has an entry for"):
        directory.runner.preview(on_output=directory.log.append)
    directory.write_metadata(metadata)

    # a deleted file: its asset goes, and so does the folder it leaves empty
    welcome_id = ids["team/welcome.png"]
    (directory.library / "team" / "welcome.png").unlink()
    assert directory.up() == {"delete": 2}
    with pytest.raises(KontentNotFoundError):
        directory.client.assets.get(welcome_id)
    assert len(directory.emulator_assets()) == shipped
    assert "team" not in directory.folder_paths()
    assert directory.preview_is_empty()

    directory.runner.destroy(on_output=directory.log.append)
    assert directory.emulator_assets() == []
    assert directory.client.folders.get().folders == []
