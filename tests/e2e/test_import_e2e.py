"""`kontent-resources import` takes over an environment: the first `up` writes nothing (issue 18).

The emulator is seeded through the API as another team would have filled it: 300 assets, some with
external ids and most without, in nested folders whose names have spaces, unicode and '#', with
titles and descriptions in both languages, and renditions. Then the import, then the generated
project through the real engine, with the emulator's counters and contents checked after each step.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kontent_resources.client import KontentClient, RateLimit
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.models.assets import AssetCreate, AssetDescriptionRequest, AssetUpsert
from kontent_resources.models.common import RequestReference
from kontent_resources.models.folders import FolderCreate, FolderRenameOperation
from kontent_resources.models.renditions import RenditionCreate, TransformationRequest
from kontent_resources.models.variants import AssetElementValue, VariantElementUpsert

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(900)]

ASSETS = 300
FOLDERS = [
    FolderCreate(
        name="Brand assets",
        folders=[
            FolderCreate(name="Logos #1", folders=[FolderCreate(name="Ünïcode ñ 日本")]),
            FolderCreate(name="Photos 2026"),
        ],
    ),
    FolderCreate(name="Docs & slides"),
    FolderCreate(name="Brand assets copy", folders=[FolderCreate(name="Logos #1")]),
]
_WRITES = ("POST", "PUT", "PATCH", "DELETE")
OTHER_STACKS_ASSET = "pulumi:asset:logo:0123456789abcdef01234567"


def _client(emulator: EmulatorServer) -> KontentClient:
    return KontentClient(
        emulator.environment_id, emulator.api_key, emulator.base_url, rate_limit=RateLimit(enabled=False)
    )


def _seed(emulator: EmulatorServer, files: Path) -> None:
    files.mkdir()
    with _client(emulator) as client:
        tree = client.folders.add(FOLDERS)
        folder_ids = [folder.id for folder, _parent in tree.walk()]
        languages = [language.codename for language in client.languages.list()]
        made = [_seed_asset(client, files, n, folder_ids, languages) for n in range(ASSETS)]
        _link_into_published_home(client, [made[1], made[16], made[2]])
        stacks = files / "another-stack.txt"
        stacks.write_text("managed by another stack\n")
        reference = client.files.upload(stacks, file_name=stacks.name, content_type="text/plain")
        client.assets.add(AssetCreate(file_reference=reference.to_request(), external_id=OTHER_STACKS_ASSET))


def _link_into_published_home(client: KontentClient, made: list[tuple[str, str | None]]) -> None:
    """The home page shows three of the assets (two with their renditions) and is published."""
    value = [
        AssetElementValue.of(RequestReference(id=asset_id), [RequestReference(id=r)] if r else None)
        for asset_id, r in made
    ]
    hero = VariantElementUpsert.assets(RequestReference(codename="hero_image"), value)
    client.variants.upsert("codename/home", "codename/en-US", [hero])
    client.variants.publish("codename/home", "codename/en-US")


def _seed_asset(
    client: KontentClient, files: Path, n: int, folder_ids: list[str], languages: list[str]
) -> tuple[str, str | None]:
    name = f"photo {n:03d} #{n % 7}.png" if n % 10 else f"notes-{n}.txt"
    path = files / name
    if name.endswith(".png"):
        Image.new("RGB", (40 + n % 5, 30), (n % 256, (n * 7) % 256, 90)).save(path)
    else:
        path.write_text(f"notes {n}\n")
    reference = client.files.upload(
        path, file_name=name, content_type="image/png" if n % 10 else "text/plain"
    )
    folder = RequestReference(id=folder_ids[n % len(folder_ids)]) if n % 4 else RequestReference.root_folder()
    descriptions = [AssetDescriptionRequest.for_language(code, f"{code} text {n}") for code in languages]
    asset = client.assets.add(
        AssetCreate(
            file_reference=reference.to_request(),
            title=f"Photo №{n}" if n % 3 else None,
            folder=folder,
            descriptions=descriptions if n % 2 else descriptions[:1],
            external_id=f"legacy-{n}" if n % 5 == 0 else None,
        )
    )
    if n % 10 and n % 15 == 1:
        crop = TransformationRequest(x=0, y=0, width=20, height=20, custom_width=10, custom_height=10)
        external_id = f"crop-{n}" if n % 2 else None
        rendition = client.renditions.add(
            asset.id, RenditionCreate(transformation=crop, external_id=external_id)
        )
        return asset.id, rendition.rendition_id
    return asset.id, None


class ImportedProject:
    """The generated project, driven through the sandbox CLI with its own passphrase."""

    def __init__(self, folder: Path, emulator: EmulatorServer) -> None:
        self.folder = folder
        self.emulator = emulator
        passphrase = folder.parent / "passphrase"
        passphrase.write_text(secrets.token_urlsafe(24))
        self.env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("KONTENT_", "PULUMI_CONFIG_PASSPHRASE"))
            },
            "PULUMI_CONFIG_PASSPHRASE_FILE": str(passphrase),
        }

    def import_environment(self, expected_status: int = 0) -> subprocess.CompletedProcess[str]:
        env = {
            **self.env,
            "KONTENT_ENVIRONMENT_ID": self.emulator.environment_id,
            "KONTENT_API_KEY": self.emulator.api_key,
            "KONTENT_BASE_URL": self.emulator.base_url,
            "KONTENT_MAX_REQUESTS_PER_SECOND": "0",
        }
        command = [
            sys.executable,
            "-m",
            "kontent_resources",
            "import",
            str(self.folder),
            "--item",
            "codename/home",
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)
        assert done.returncode == expected_status, done.stdout + done.stderr
        assert self.emulator.api_key not in done.stdout + done.stderr
        return done

    def run(self, *args: str, stdin: str | None = None) -> str:
        command = [sys.executable, "-m", "kontent_resources.sandbox", "--project", ".", *args]
        done = subprocess.run(
            command, cwd=self.folder, env=self.env, input=stdin, capture_output=True, text=True,
            timeout=600, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"{args}\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        return done.stdout + done.stderr

    def connect(self) -> None:
        self.run("config", "set", "kontent:environmentId", self.emulator.environment_id)
        self.run("config", "set", "kontent:baseUrl", self.emulator.base_url)
        self.run("config", "set", "kontent:maxRequestsPerSecond", "0")
        self.run("config", "set", "--secret", "kontent:apiKey", stdin=self.emulator.api_key)

    @property
    def manifest(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads((self.folder / "environment.json").read_text(encoding="utf-8"))
        return loaded


def _writes(emulator: EmulatorServer) -> dict[str, int]:
    counters: dict[str, int] = emulator.counters()["by_endpoint"]
    return {endpoint: n for endpoint, n in counters.items() if endpoint.startswith(_WRITES)}


def _assets_by_id(emulator: EmulatorServer) -> dict[str, dict[str, Any]]:
    with _client(emulator) as client:
        return {a.id: a.model_dump(mode="json") for a in client.assets.list()}


def _home(emulator: EmulatorServer) -> dict[str, Any]:
    with _client(emulator) as client:
        return client.variants.get("codename/home", "codename/en-US").model_dump(mode="json")


def test_import_then_up_adopts_everything_without_a_write(emulator: EmulatorServer, tmp_path: Path) -> None:
    _seed(emulator, tmp_path / "seed-files")
    before = _assets_by_id(emulator)
    home_before = _home(emulator)
    project = ImportedProject(tmp_path / "brand library", emulator)

    emulator.reset_counters()
    imported = project.import_environment()
    assert f"{ASSETS} files downloaded, 0 already here" in imported.stdout
    assert "Left out 1 asset(s) that another stack of kontent_resources manages" in imported.stdout
    assert _writes(emulator) == {}, "the import only reads"
    manifest = project.manifest
    assert len(manifest["assets"]) == ASSETS
    assert OTHER_STACKS_ASSET not in json.dumps(manifest), "another stack's asset is left to it"
    assert len(manifest["folders"]) == 7
    assert len({a["resource"] for a in manifest["assets"]}) == ASSETS, "unique names"
    assert sum("id" in a for a in manifest["assets"]) == ASSETS - ASSETS // 5, "no external id: by id"
    renditions = manifest["renditions"]
    assert renditions, "renditions are imported"
    assert {"id" in r for r in renditions} == {True, False}, "with and without external ids"
    for entry in manifest["assets"]:
        local = project.folder / entry["source"]
        assert local.is_file(), entry
    links = manifest["links"]
    assert [link["element"] for link in links] == ["hero_image"] * 3
    assert sorted(len(link.get("renditions", [])) for link in links) == [0, 1, 1]
    unicode_dir = [a["source"] for a in manifest["assets"] if "Ünïcode ñ 日本" in a["source"]]
    assert unicode_dir, "folder names with unicode are kept as directory names"

    project.connect()
    emulator.reset_counters()
    up = project.run("up", "--yes")
    assert "error" not in up.lower().replace("0 errored", "")
    assert _writes(emulator) == {}, "the first up adopts everything without an upload or a write"
    assert _assets_by_id(emulator) == before, "no asset changed in any field"
    assert _home(emulator) == home_before, "the published home page is as it was: no new version"

    preview = project.run("preview")
    for change in ("to create", "to update", "to delete", "to replace"):
        assert change not in preview, preview[-3000:]

    edited = manifest["assets"][7]
    edited["title"] = "Edited after the import"
    (project.folder / "environment.json").write_text(
        json.dumps(manifest, ensure_ascii=False), encoding="utf-8"
    )
    emulator.reset_counters()
    project.run("up", "--yes")
    writes = _writes(emulator)
    assert sum(writes.values()) == 1, writes
    assert [e for e in writes if e.startswith("PUT /assets")], writes
    after = _assets_by_id(emulator)
    changed = [i for i in after if after[i] != before[i]]
    assert len(changed) == 1
    assert after[changed[0]]["title"] == "Edited after the import"

    again = project.import_environment()
    assert f"0 files downloaded, {ASSETS} already here" in again.stdout
    assert project.manifest["assets"] == manifest["assets"], "re-importing gives the same names and entries"


def test_objects_the_provider_would_refuse_leave_the_rest_of_the_stack_working(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    """R3-6: an external id with '/' and a file name with a control character are what another tool
    may have left in an environment; the program must still preview and adopt everything else."""
    seed = tmp_path / "seed-files"
    seed.mkdir()
    with _client(emulator) as client:
        tree = client.folders.add([FolderCreate(name="Brand", external_id="brand/folder")])
        refused_folder = next(folder for folder, _parent in tree.walk())

        def add(name: str, external_id: str | None, folder: str | None = None) -> str:
            path = seed / f"{len(list(seed.iterdir()))}.png"
            Image.new("RGB", (40, 30), "teal").save(path)
            reference = client.files.upload(path, file_name=name, content_type="image/png")
            asset = AssetCreate(
                file_reference=reference.to_request(),
                external_id=external_id,
                folder=RequestReference(id=folder) if folder else None,
            )
            return client.assets.add(asset).id

        slashed = add("logo.png", "brand/logo")
        bell = add("bell\x07.png", None)
        kept = [add("inside.png", "legacy-inside", refused_folder.id), add("plain.png", None)]
        crop = TransformationRequest(x=0, y=0, width=20, height=20, custom_width=10, custom_height=10)
        client.renditions.add(slashed, RenditionCreate(transformation=crop, external_id="crop-of-refused"))
    before = _assets_by_id(emulator)
    project = ImportedProject(tmp_path / "hostile library", emulator)

    imported = project.import_environment(expected_status=3)

    skipped = {entry["id"]: entry["kind"] for entry in project.manifest["skipped"]}
    assert skipped[slashed] == "asset"
    assert skipped[bell] == "asset"
    assert skipped[refused_folder.id] == "folder"
    assert "rendition" in skipped.values(), "the refused asset's rendition follows it out"
    assert sorted(a.get("id") or a["external_id"] for a in project.manifest["assets"]) == sorted(
        [kept[1], "legacy-inside"]
    )
    assert "\x07" not in imported.stdout
    project.connect()
    emulator.reset_counters()
    up = project.run("up", "--yes")
    assert "error" not in up.lower().replace("0 errored", "")
    assert _writes(emulator) == {}, "the rest is adopted without a write"
    assert _assets_by_id(emulator) == before, "the skipped objects are left as they are"
    preview = project.run("preview")
    for change in ("to create", "to update", "to delete", "to replace"):
        assert change not in preview, preview[-3000:]


def _edit_in_kontent(client: KontentClient, asset_id: str, **changes: Any) -> None:
    """An edit in the Kontent.ai UI: the asset's other fields as they are."""
    asset = client.assets.get(asset_id)
    descriptions = [
        AssetDescriptionRequest(language=RequestReference(id=d.language.id), description=d.description)
        for d in asset.descriptions
        if d.description
    ]
    folder = RequestReference(id=asset.folder.id) if asset.folder and asset.folder.id else None
    body: dict[str, Any] = {"title": asset.title, "folder": folder, "descriptions": descriptions, **changes}
    client.assets.upsert(asset_id, AssetUpsert(**{k: v for k, v in body.items() if v is not None}))


def test_importing_again_after_edits_in_kontent_leaves_its_files_and_the_up_writes_nothing(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    """Issue 34: 100 assets imported and adopted; then edited, moved, deleted and renamed in Kontent.ai;
    imported again into the same folder: the folder holds exactly the environment's files (it held
    107 for 100 assets), and the next `up` writes nothing (it made no-op writes: the state still held
    what the first up saw)."""
    seed = tmp_path / "seed-files"
    seed.mkdir()
    with _client(emulator) as client:
        tree = client.folders.add(FOLDERS)
        folder_ids = [folder.id for folder, _parent in tree.walk()]
        languages = [language.codename for language in client.languages.list()]
        made = [_seed_asset(client, seed, n, folder_ids, languages) for n in range(100)]
    project = ImportedProject(tmp_path / "brand library", emulator)
    project.import_environment()
    project.connect()
    emulator.reset_counters()
    project.run("up", "--yes")
    assert _writes(emulator) == {}

    with _client(emulator) as client:
        for asset_id, _rendition in made[90:95]:
            client.assets.delete(asset_id)
        _edit_in_kontent(client, made[3][0], title="Retitled in Kontent.ai")
        _edit_in_kontent(client, made[7][0], folder=RequestReference.root_folder())
        replacement = seed / "replacement.png"
        Image.new("RGB", (48, 30), "navy").save(replacement)
        file = client.files.upload(replacement, file_name="photo v2.png", content_type="image/png")
        _edit_in_kontent(client, made[9][0], file_reference=file.to_request())
        logos = next(folder for folder, _parent in client.folders.get().walk() if folder.name == "Logos #1")
        client.folders.patch(
            [FolderRenameOperation(reference=RequestReference(id=logos.id), value="Logos 2027")]
        )
        asset_id, rendition_id = next((a, r) for a, r in made if r is not None)
        wider = TransformationRequest(x=0, y=0, width=30, height=20, custom_width=15, custom_height=10)
        client.renditions.modify(asset_id, rendition_id, wider)
    again = project.import_environment()

    sources = {entry["source"] for entry in project.manifest["assets"]}
    local = {str(p.relative_to(project.folder)) for p in (project.folder / "files").rglob("*") if p.is_file()}
    assert len(sources) == 95
    assert local == sources, "exactly the environment's files"
    assert "Removed " in again.stdout
    emulator.reset_counters()
    up = project.run("up", "--yes")
    assert "error" not in up.lower().replace("0 errored", "")
    assert _writes(emulator) == {}, "what Kontent.ai holds already is not written again"
    preview = project.run("preview")
    for change in ("to create", "to update", "to delete", "to replace"):
        assert change not in preview, preview[-3000:]
