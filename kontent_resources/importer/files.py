"""The asset files, downloaded in parallel from their URLs; those already here are kept.

A file is known to match when the import record (``.kontent-import.json``) says which asset file
(``file_reference``) it was downloaded from and the local bytes still have the SHA-256 recorded
then: the asset's file is unchanged (a new file would have a new reference) and so is the copy.
An interrupted import resumes: finished files are recorded as they complete, partial ones are
continued from their ``.part`` file.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kontent_resources.client.downloads import AssetDownloads, DownloadError
from kontent_resources.importer.layout import PlannedFile
from kontent_resources.providers.localfile import sha256_of

RECORD_FILE = ".kontent-import.json"


@dataclass(frozen=True)
class FileResult:
    downloaded: int
    kept: int


class _Record:
    """``{path: {"file_reference": id, "sha256": hex}}``, saved after every finished file."""

    def __init__(self, project: Path) -> None:
        self._file = project / RECORD_FILE
        self._lock = threading.Lock()
        try:
            self.entries: dict[str, dict[str, str]] = json.loads(self._file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    def matches(self, project: Path, planned: PlannedFile) -> str | None:
        """The local file's SHA-256 when it is this asset's file, unchanged; else None."""
        entry = self.entries.get(planned.path)
        reference = planned.asset.file_reference.id if planned.asset.file_reference else None
        local = project / planned.path
        if not entry or entry.get("file_reference") != reference or not local.is_file():
            return None
        digest = sha256_of(local)
        return digest if digest == entry.get("sha256") else None

    def add(self, planned: PlannedFile, digest: str) -> None:
        reference = planned.asset.file_reference.id if planned.asset.file_reference else ""
        with self._lock:
            self.entries[planned.path] = {"file_reference": reference, "sha256": digest}
            temporary = self._file.with_name(self._file.name + ".tmp")
            temporary.write_text(json.dumps(self.entries, indent=1, sort_keys=True), encoding="utf-8")
            temporary.replace(self._file)


def fetch_files(
    project: Path,
    planned: list[PlannedFile],
    *,
    workers: int = 8,
    progress: Callable[[int, int], None] | None = None,
) -> FileResult:
    record = _Record(project)
    finished: list[str] = []
    downloaded: list[str] = []
    lock = threading.Lock()

    def one(item: PlannedFile, downloads: AssetDownloads) -> None:
        fetched = record.matches(project, item) is None
        if fetched:
            if not item.asset.url:
                raise DownloadError(f"asset {item.asset.id} has no url to download its file from")
            target = project / item.path
            target.parent.mkdir(parents=True, exist_ok=True)
            downloads.save(item.asset.url, target)
            record.add(item, sha256_of(target))
        with lock:
            finished.append(item.path)
            if fetched:
                downloaded.append(item.path)
            if progress is not None:
                progress(len(finished), len(planned))

    with AssetDownloads() as downloads, ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(one, item, downloads) for item in planned]:
            future.result()
    return FileResult(downloaded=len(downloaded), kept=len(planned) - len(downloaded))
