"""AssetDirectory(one_resource=True) through the real engine: the assets of a tree as one AssetSet.

A stack switches to it from one Asset per file without a single asset made or deleted, then its
tree changes between runs (add, edit, move with moved_from, delete) and every change converges as
the per-file resources would: the same ids, the same folders, nothing duplicated.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kontent_resources.client import KontentNotFoundError
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.sandbox import HermeticPulumi
from tests.e2e.kontent_stack import no_changes, op_counts
from tests.e2e.test_asset_directory_e2e import DirectoryStack, _image

pytestmark = pytest.mark.e2e

# The shipped example, with the layout chosen by the stack's config.
PROGRAM = """\
import pulumi
from kontent_resources.components import AssetDirectory

library = AssetDirectory(
    "library",
    "library",
    default_descriptions={"en-US": "Brand library file"},
    one_resource=pulumi.Config().get_bool("one_resource") or False,
)
pulumi.export("assets", library.assets)
pulumi.export("urls", library.urls)
pulumi.export("folders", library.folders)
"""


@pytest.fixture
def directory(
    pulumi_sandbox: HermeticPulumi, emulator: EmulatorServer, tmp_path: Path
) -> Iterator[DirectoryStack]:
    stack = DirectoryStack(pulumi_sandbox, emulator, tmp_path)
    (stack.project / "__main__.py").write_text(PROGRAM)
    yield stack
    stack.close()


def asset_ids(directory: DirectoryStack) -> set[str]:
    return {asset.id for asset in directory.emulator_assets()}


def test_switching_to_one_resource_keeps_every_asset_and_later_changes_converge(
    directory: DirectoryStack,
) -> None:
    directory.up()
    per_file = directory.outputs()["assets"]
    before = asset_ids(directory)
    assert set(per_file.values()) == before

    # The same assets change hands: the set's members find them by their generated external ids,
    # and the Assets leave the state without deleting what the members now manage.
    directory.runner.set_config({"one_resource": "true"})
    assert directory.up() == {"create": 1, "delete": len(per_file)}
    assert directory.outputs()["assets"] == per_file
    assert asset_ids(directory) == before
    state = directory.runner.export_state()["resources"]
    assert not [r for r in state if r["type"].endswith("kontent:Asset")]
    assert sum(r["type"].endswith("kontent:AssetSet") for r in state) == 1
    assert directory.preview_is_empty()

    # A new file, new content in another, and a move recorded with moved_from: one update.
    _image(directory.library / "photos" / "new-hire.png", (64, 48), "teal")
    logo = directory.library / "brand" / "company-logo.png"
    logo_id = per_file["brand/company-logo.png"]
    (directory.library / "brand" / "logos").mkdir()
    logo.rename(directory.library / "brand" / "logos" / "logo.png")
    metadata = directory.metadata()
    metadata["brand/logos/logo.png"] = {
        **metadata.pop("brand/company-logo.png"),
        "moved_from": "brand/company-logo.png",
    }
    directory.write_metadata(metadata)
    assert directory.up() == {"create": 1, "update": 1}  # the folder brand/logos; the set
    outputs = directory.outputs()
    assert outputs["assets"]["brand/logos/logo.png"] == logo_id, "a moved file keeps its asset"
    moved = directory.client.assets.get(logo_id)
    assert moved.file_name == "logo.png"
    assert moved.folder is not None
    assert moved.folder.id == outputs["folders"]["brand/logos"]
    new_id = outputs["assets"]["photos/new-hire.png"]
    assert asset_ids(directory) == before | {new_id}
    assert directory.preview_is_empty()

    # Drift found by refresh: an asset deleted in the UI is made again by the next up.
    directory.client.assets.delete(new_id)
    directory.runner.refresh(on_output=directory.log.append)
    assert directory.up() == {"update": 1}
    remade = directory.outputs()["assets"]["photos/new-hire.png"]
    assert remade in asset_ids(directory)
    assert len(asset_ids(directory)) == len(before) + 1

    # A deleted file: its asset goes.
    (directory.library / "photos" / "new-hire.png").unlink()
    assert directory.up() == {"update": 1}
    with pytest.raises(KontentNotFoundError):
        directory.client.assets.get(remade)
    assert asset_ids(directory) == before
    assert no_changes(
        op_counts(directory.runner.refresh(on_output=directory.log.append).summary.resource_changes)
    )

    directory.runner.destroy(on_output=directory.log.append)
    assert directory.emulator_assets() == []
    assert directory.client.folders.get().folders == []
