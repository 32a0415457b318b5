"""Issue 34: `kontent-resources import` again into the same folder leaves exactly the environment's files.

Between two imports, assets were deleted, moved, given another file, and a folder was renamed. The
second import removes the files the first one wrote for what is gone (and the folders they leave
empty), and nothing else: the user's own files stay, and so does a file the user changed since (the
import says so). The import record is a file of the folder, which may come from anyone: a path it
names outside ``files/`` is never removed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.importer.files import RECORD_FILE
from kontent_resources.models.assets import AssetUpsert
from kontent_resources.models.common import RequestReference
from kontent_resources.models.folders import FolderCreate, FolderRenameOperation
from tests.reliability.test_import_hostile import PRECIOUS, _add_asset, _client, _import, _sources, _victim


def _files(project: Path) -> set[str]:
    return {str(p.relative_to(project)) for p in (project / "files").rglob("*") if p.is_file()}


def test_a_second_import_removes_only_the_files_it_wrote_for_what_is_gone(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    seed = tmp_path / "seed"
    with _client(emulator) as client:
        tree = client.folders.add([FolderCreate(name="Brand"), FolderCreate(name="Old name")])
    brand, renamed = (folder.id for folder in tree.folders)
    _add_asset(emulator, seed, "logo.txt", b"logo\n", folder_id=brand)
    gone = _add_asset(emulator, seed, "gone.txt", b"gone\n")
    moved = _add_asset(emulator, seed, "moved.txt", b"moved\n", folder_id=brand)
    edited_here = _add_asset(emulator, seed, "edited.txt", b"edited\n")
    _add_asset(emulator, seed, "inside.txt", b"inside\n", folder_id=renamed)
    swapped = _add_asset(emulator, seed, "swapped.txt", b"swapped\n")
    project = tmp_path / "project"
    assert _import(emulator, project).returncode == 0
    assert len(_files(project)) == 6

    yours = {"files/notes-of-mine.txt": b"mine\n", "files/Brand/mine.txt": b"mine too\n"}
    for path, content in yours.items():
        (project / path).write_bytes(content)
    (project / "files" / "edited.txt").write_bytes(b"changed here\n")
    victim = _victim(tmp_path)
    record = json.loads((project / RECORD_FILE).read_text())
    digest = hashlib.sha256(PRECIOUS).hexdigest()
    for hostile in ("../outside/victim.txt", "files/../../outside/victim.txt", "files/../__main__.py"):
        record[hostile] = {"file_reference": "x", "sha256": digest}
    (project / RECORD_FILE).write_text(json.dumps(record))

    with _client(emulator) as client:
        client.assets.delete(gone.id)
        client.assets.delete(edited_here.id)
        client.assets.upsert(moved.id, AssetUpsert(folder=RequestReference.root_folder()))
        client.folders.patch(
            [FolderRenameOperation(reference=RequestReference(id=renamed), value="New name")]
        )
        replacement = seed / "v2"
        replacement.write_bytes(b"swapped, second version\n")
        reference = client.files.upload(replacement, file_name="swapped-v2.txt", content_type="text/plain")
        client.assets.upsert(swapped.id, AssetUpsert(file_reference=reference.to_request()))
    _add_asset(emulator, seed, "new.txt", b"new\n")

    again = _import(emulator, project)

    assert again.returncode == 0, again.stderr
    imported = set(_sources(project).values())
    assert imported == {
        "files/Brand/logo.txt",
        "files/moved.txt",
        "files/New name/inside.txt",
        "files/swapped-v2.txt",
        "files/new.txt",
    }
    assert _files(project) == imported | set(yours) | {"files/edited.txt"}, "the environment's, and yours"
    for path, content in yours.items():
        assert (project / path).read_bytes() == content
    assert (project / "files" / "edited.txt").read_bytes() == b"changed here\n", "changed here: kept"
    assert not (project / "files" / "Old name").exists(), "the folder it emptied goes too"
    assert victim.read_bytes() == PRECIOUS
    assert (project / "__main__.py").is_file()
    assert "Removed 4 file(s)" in again.stdout
    assert "Kept 1 file(s)" in again.stdout
    assert "  files/edited.txt" in again.stdout
    assert set(json.loads((project / RECORD_FILE).read_text())) == imported, "the record: what is here now"
