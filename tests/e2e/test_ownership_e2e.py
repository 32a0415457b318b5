"""A stack touches only what it owns, through refactors: the real engine against the emulator,
with the emulator's contents checked after every step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.models.assets import AssetCreate
from kontent_resources.models.common import RequestReference
from kontent_resources.models.folders import FolderCreate, folder_add_into
from kontent_resources.sandbox import HermeticPulumi
from kontent_resources.sandbox.project import ProjectRunner
from tests.e2e.helpers import reads_at_most_the_languages
from tests.e2e.kontent_stack import KontentStack, no_changes, op_counts
from tests.reliability.helpers import RawStack, diagnostics

pytestmark = pytest.mark.e2e


def _image(path: Path) -> str:
    Image.new("RGB", (64, 32), "teal").save(path)
    return str(path)


def _one_asset_spec(source: str, title: str) -> dict[str, Any]:
    return {
        "folders": [{"key": "brand", "name": "Brand"}],
        "assets": [{"key": "logo", "source": source, "title": title, "folder": "brand"}],
    }


def test_same_project_and_stack_in_two_backends_never_share_an_object(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    source = _image(tmp_path / "logo.png")
    with (
        HermeticPulumi(tmp_path / "backend-a") as sandbox_a,
        HermeticPulumi(tmp_path / "backend-b") as sandbox_b,
    ):
        first = KontentStack(sandbox_a, emulator, tmp_path / "a")
        second = KontentStack(sandbox_b, emulator, tmp_path / "b")
        try:
            first.apply(_one_asset_spec(source, "Team A"))
            first_id = first.outputs()["assets"]["logo"]
            second.apply(_one_asset_spec(source, "Team B"))
            second_id = second.outputs()["assets"]["logo"]
            assert first_id != second_id
            assert len(first.client.folders.get().folders) == 2
            assert first.client.assets.get(first_id).title == "Team A", "the first stack's asset untouched"

            second.destroy()
            assert first.client.assets.get(first_id).title == "Team A", "the second destroy kept it"
            assert [f.name for f in first.client.folders.get().folders] == ["Brand"]
            assert no_changes(first.preview())
        finally:
            first.close()
            second.close()


def test_rename_with_alias_and_stack_rename_keep_the_objects(stack: KontentStack, tmp_path: Path) -> None:
    spec = _one_asset_spec(_image(tmp_path / "logo.png"), "Logo")
    stack.apply(spec)
    before = stack.outputs()
    url = stack.client.assets.get(before["assets"]["logo"]).url

    spec["assets"][0].update(resource_name="company-logo", alias="logo")
    spec["folders"][0].update(resource_name="brand-folder", alias="brand")
    assert stack.preview(spec) == {"same": 4}, "a renamed resource with an alias is the same resource"
    stack.apply(spec)
    assert stack.outputs() == before
    assert stack.client.assets.get(before["assets"]["logo"]).url == url

    work_dir = stack.runner.work_dir
    stack.runner.sandbox.run(["stack", "rename", "renamed", "--stack", "test"], work_dir)
    renamed = ProjectRunner(work_dir, stack.runner.sandbox, "renamed")
    assert no_changes(op_counts(renamed.preview().change_summary)), "a stack rename keeps every object"
    renamed.up()
    assert renamed.outputs()["assets"] == before["assets"]
    assert [a.id for a in stack.client.assets.list()] == [before["assets"]["logo"]]


def test_two_resources_claiming_one_object_fail_the_preview(stack: KontentStack, tmp_path: Path) -> None:
    source = _image(tmp_path / "logo.png")
    spec = {
        "assets": [
            {"key": "a", "source": source, "external_id": "shared-logo"},
            {"key": "b", "source": source, "external_id": "shared-logo"},
        ]
    }
    with pytest.raises(Exception, match="already declared by Asset 'a'"):
        stack.preview(spec)
    assert reads_at_most_the_languages(stack.emulator.counters())
    assert list(stack.client.assets.list()) == []


def test_a_folder_with_a_user_codename_moves_and_keeps_it(stack: KontentStack) -> None:
    """Issue 36 (earlier 09a): the move removes the old folder first, so the codename stays."""
    spec: dict[str, Any] = {
        "folders": [
            {"key": "a", "name": "A"},
            {"key": "b", "name": "B", "parent": "a", "codename": "alpha"},
        ]
    }
    stack.apply(spec)
    spec["folders"][1]["parent"] = None
    stack.apply(spec)
    found = stack.client.folders.get().find(RequestReference(codename="alpha"))
    assert found is not None
    assert found[1] is None, "B is now at the top level"


def test_a_folder_holding_an_editors_asset_cannot_move_with_its_codename(
    stack: KontentStack, tmp_path: Path
) -> None:
    """What the stack cannot move (an editor's asset) keeps the old folder until the new one exists,
    so a kept codename cannot move: said at preview, nothing written."""
    spec: dict[str, Any] = {
        "folders": [
            {"key": "a", "name": "A"},
            {"key": "b", "name": "B", "parent": "a", "codename": "alpha"},
        ]
    }
    stack.apply(spec)
    theirs = tmp_path / "theirs.txt"
    theirs.write_text("an editor's file")
    reference = stack.client.files.upload(theirs, file_name="theirs.txt", content_type="text/plain")
    stack.client.assets.add(
        AssetCreate(
            file_reference=reference.to_request(), title="Theirs", folder=RequestReference(codename="alpha")
        )
    )
    tree_before = stack.client.folders.get().model_dump()
    spec["folders"][1]["parent"] = None
    with pytest.raises(Exception, match="cannot move to another parent"):
        stack.preview(spec)
    assert stack.client.folders.get().model_dump() == tree_before


def test_an_editors_subfolder_is_never_removed_with_a_stack_folder(stack: KontentStack) -> None:
    stack.apply({"folders": [{"key": "brand", "name": "Brand"}]})
    brand_id = stack.outputs()["folders"]["brand"]
    editor = FolderCreate(name="Editor's picks", external_id="editor-picks")
    stack.client.folders.patch([folder_add_into(editor, parent=RequestReference(id=brand_id))])

    with pytest.raises(Exception, match="does not manage"):
        stack.destroy()
    found = stack.client.folders.get().find(RequestReference(external_id="editor-picks"))
    assert found is not None, "the editor's sub-folder is still there"
    assert found[1] is not None
    assert found[1].id == brand_id


_HOME = {"item": "codename/home", "language": "codename/en-US", "element": "hero_image"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {"folders": [{"key": "a", "name": "A", "external_id": "shared"},
                         {"key": "b", "name": "B", "external_id": "shared"}]},
            "already declared by Folder 'a'",
        ),
        (
            {"folders": [{"key": "a", "name": "A", "codename": "brand"},
                         {"key": "b", "name": "B", "codename": "brand"}]},
            "already declared by Folder 'a'",
        ),
        (
            {"links": [{"key": "one", **_HOME, "asset": "codename/shared"},
                       {"key": "two", **_HOME, "asset": "codename/shared"}]},
            "already declared by VariantAssetLink 'one'",
        ),
    ],
    ids=["folders-external-id", "folders-codename", "identical-links"],
)  # fmt: skip
def test_duplicate_folders_and_links_fail_the_preview(
    pulumi_sandbox: HermeticPulumi,
    emulator: EmulatorServer,
    tmp_path: Path,
    spec: dict[str, Any],
    message: str,
) -> None:
    stack = RawStack(pulumi_sandbox, emulator, tmp_path)
    stack.runner.set_config({"kontent:maxRequestsPerSecond": "0"})
    if "links" in spec:
        # The links' asset exists: what the preview refuses is the duplicate, not a missing asset
        # (issue 34: that fails the first link's check, which would then be all the engine shows).
        file = stack.client.files.upload(_image(tmp_path / "shared.png")).to_request()
        stack.client.assets.add(AssetCreate(file_reference=file, codename="shared"))
    home_before = stack.client.variants.get("codename/home", "codename/en-US").model_dump()
    calls_before = emulator.counters()["by_endpoint"]
    with pytest.raises(Exception, match=message):
        stack.preview(spec)
    calls = emulator.counters()["by_endpoint"]
    if "links" in spec:  # the first link, registered before the program refuses the second, is checked
        calls = {k: n for k, n in calls.items() if not k.startswith("GET ")}
        calls_before = {k: n for k, n in calls_before.items() if not k.startswith("GET ")}
    assert calls == calls_before, "refused before any API call (a link: before any write)"
    assert stack.client.folders.get().folders == []
    assert stack.client.variants.get("codename/home", "codename/en-US").model_dump() == home_before
    stack.close()


def _raw_stack(sandbox: HermeticPulumi, emulator: EmulatorServer, folder: Path, stack_name: str) -> RawStack:
    """A stack of the raw program named ``stack_name`` (several of them share one backend)."""
    stack = RawStack(sandbox, emulator, folder)
    stack.runner = ProjectRunner(stack.runner.work_dir, sandbox, stack_name)
    stack.runner.use_environment(emulator, client_rate_limit=False)
    return stack


def _writes(emulator: EmulatorServer) -> dict[str, int]:
    by_endpoint: dict[str, int] = emulator.counters()["by_endpoint"]
    return {e: n for e, n in by_endpoint.items() if not e.startswith("GET ")}


def test_adopting_another_stacks_asset_fails_the_preview_until_its_owner_lets_go(
    pulumi_sandbox: HermeticPulumi, emulator: EmulatorServer, tmp_path: Path
) -> None:
    """R3-2: stack B adopting A's asset took it over silently; B's destroy then deleted it under A."""
    source = _image(tmp_path / "logo.png")
    team_a = _raw_stack(pulumi_sandbox, emulator, tmp_path / "a", "team-a")
    team_b = _raw_stack(pulumi_sandbox, emulator, tmp_path / "b", "team-b")
    try:
        team_a.apply({"assets": [{"key": "logo", "source": source, "title": "Team A"}]})
        asset_id = team_a.outputs()["ids"]["logo"]
        external_id = team_a.client.assets.get(asset_id).external_id or ""

        emulator.reset_counters()
        for adopting in ({"adopt_id": asset_id}, {"external_id": external_id, "adopt": True}):
            spec = {"assets": [{"key": "theirs", "source": source, "title": "Team B", **adopting}]}
            with pytest.raises(Exception) as refused:  # noqa: PT011 - the automation API's CommandError
                team_b.preview(spec)
            message = diagnostics(refused.value)
            print(f"\n--- {adopting}\n{message}")
            for fragment in ("Asset (theirs)", "belongs to stack 'raw-stack/team-a'", "take_over=True"):
                assert fragment in message, (fragment, message)
        assert _writes(emulator) == {}, "the previews only read"
        assert external_id.startswith("pulumi:asset:raw-stack~team-a~"), "the id names its stack"
        assert team_a.client.assets.get(asset_id).title == "Team A"

        # The documented move: A forgets the asset without deleting it, then B takes it over.
        urn = next(r["urn"] for r in team_a.resources("Asset"))
        pulumi_sandbox.run(["state", "delete", urn, "--stack", "team-a", "--yes"], team_a.runner.work_dir)
        taking = {
            "key": "theirs",
            "source": source,
            "title": "Team B",
            "adopt_id": asset_id,
            "take_over": True,
        }
        team_b.apply({"assets": [taking]})
        assert team_b.outputs()["ids"]["theirs"] == asset_id
        assert team_b.client.assets.get(asset_id).title == "Team B"
        assert no_changes(team_b.preview())
    finally:
        team_a.close()
        team_b.close()
