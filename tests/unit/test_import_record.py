"""The import record (``.kontent-import.json``): written at most once a second as files finish,
and once more when the downloads end however they end, so an import of N files is not O(N²)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kontent_resources.importer import files
from kontent_resources.importer.files import RECORD_FILE, _Record, fetch_files
from kontent_resources.importer.layout import PlannedFile
from kontent_resources.importer.output_folder import OutputFolder
from kontent_resources.models import Asset, FileReference


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class CountingFolder(OutputFolder):
    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.saves = 0

    def replace(self, relative: str, content: bytes) -> None:
        self.saves += relative == RECORD_FILE
        super().replace(relative, content)


def _planned(n: int) -> PlannedFile:
    reference = FileReference(id=f"file-{n}")
    asset = Asset(id=f"id-{n}", url=f"https://assets.example/{n}.png", file_reference=reference)
    return PlannedFile(asset=asset, path=f"files/{n}.png")


def _recorded(root: Path) -> set[str]:
    return set(json.loads((root / RECORD_FILE).read_text()))


def test_entries_are_saved_once_a_second_and_on_flush(tmp_path: Path) -> None:
    folder, clock = CountingFolder(tmp_path), Clock()
    record = _Record(folder, clock=clock)
    for n in range(100):  # 100 files finish within the same second
        record.add(_planned(n), "0" * 64)
    assert folder.saves == 0
    clock.now = 1.0
    record.add(_planned(100), "0" * 64)
    assert folder.saves == 1
    assert len(_recorded(tmp_path)) == 101
    record.add(_planned(101), "0" * 64)
    record.flush()
    record.flush()  # nothing new: not written again
    assert folder.saves == 2
    assert len(_recorded(tmp_path)) == 102


def test_files_finished_before_a_failure_are_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import stopped by an error no file handles (as by Ctrl-C) keeps what finished."""

    def download(output: OutputFolder, item: PlannedFile, downloads: object) -> str:
        if item.path == "files/5.png":
            raise RuntimeError("stopped")
        return "0" * 64

    monkeypatch.setattr(files, "_download", download)
    planned = [_planned(n) for n in range(10)]
    with pytest.raises(RuntimeError, match="stopped"):
        fetch_files(OutputFolder(tmp_path), planned, hosts=None, workers=1)
    assert _recorded(tmp_path) == {f"files/{n}.png" for n in range(10) if n != 5}
