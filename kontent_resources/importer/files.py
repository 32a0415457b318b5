"""The asset files, downloaded in parallel from their URLs; those already here are kept.

A file is known to match when the import record (``.kontent-import.json``) says which asset file
(``file_reference``) it was downloaded from and the local bytes still have the SHA-256 recorded
then: the asset's file is unchanged (a new file would have a new reference) and so is the copy.
An interrupted import resumes: finished files are recorded as they complete (the record is written
at most once a second while files finish, and when the downloads end however they end: rewriting
it after every file made an import of N files O(N²), half its CPU at 1,000), partial ones are
continued from their ``.part`` file. A crash (kill -9) loses at most the last second's entries:
those files are downloaded again on the next import, like files that were never recorded.

Everything is written through :class:`OutputFolder`, which follows no symbolic link: a link in the
way fails that asset's file, never the import. Any failure of one file (a refused URL, a download
error, a name the file system refuses) is returned for that asset and the others go on.

A re-import removes the files an earlier import wrote that no asset of the environment has any more
(deleted, moved to another folder, renamed, its folder renamed): only those the record lists, under
``files/``, and only while their bytes are still the recorded ones. A file changed since, and
anything the record does not list (the user's own files), stays.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO

from kontent_resources.client.downloads import AssetDownloads, AssetHosts, DownloadError
from kontent_resources.importer.layout import FILES_DIR, PARTIAL_SUFFIX, PlannedFile
from kontent_resources.importer.output_folder import OutputFolder, is_link, open_partial, open_regular

RECORD_FILE = ".kontent-import.json"
_HASH_CHUNK = 1024 * 1024
_SAVE_INTERVAL = 1.0  # seconds: how much finished work a crash may cost a resumed import


@dataclass(frozen=True)
class FileResult:
    downloaded: int
    kept: int
    failed: dict[str, str]  # asset id -> why its file is not here
    removed: int = 0  # files of an earlier import that no asset has any more
    changed_here: tuple[str, ...] = ()  # such files kept: changed since that import wrote them


class _Record:
    """``{path: {"file_reference": id, "sha256": hex}}``, saved at most once per ``_SAVE_INTERVAL``
    as files finish, and by :meth:`flush`."""

    def __init__(self, output: OutputFolder, clock: Callable[[], float] = time.monotonic) -> None:
        self._output = output
        self._lock = threading.Lock()
        self._clock = clock
        self._saved_at = clock()
        self._unsaved = False
        self.entries: dict[str, dict[str, str]] = {}
        try:
            loaded = json.loads(output.read(RECORD_FILE) or b"{}")
        except ValueError:
            return
        if isinstance(loaded, dict):
            self.entries = {k: v for k, v in loaded.items() if isinstance(v, dict)}

    def matches(self, planned: PlannedFile) -> bool:
        """The local file is this asset's file, unchanged (a regular file: a link is never read)."""
        entry = self.entries.get(planned.path)
        if not entry or entry.get("file_reference") != _reference(planned):
            return False
        folder, _, name = planned.path.rpartition("/")
        with self._output.directory(folder) as parent, open_regular(parent, name) as local:
            return local is not None and _sha256(local) == entry.get("sha256")

    def add(self, planned: PlannedFile, digest: str) -> None:
        with self._lock:
            self.entries[planned.path] = {"file_reference": _reference(planned), "sha256": digest}
            self._unsaved = True
            if self._clock() - self._saved_at >= _SAVE_INTERVAL:
                self._save()

    def flush(self) -> None:
        """Save the entries added since the last save."""
        with self._lock:
            if self._unsaved:
                self._save()

    def _save(self) -> None:
        content = json.dumps(self.entries, indent=1, sort_keys=True).encode("utf-8")
        self._output.replace(RECORD_FILE, content)
        self._saved_at, self._unsaved = self._clock(), False

    def remove_stale(self, planned: list[PlannedFile]) -> tuple[int, list[str]]:
        """Remove the recorded files no planned file has (still as recorded); forget every one of them.

        Returns how many were removed and the paths kept because they changed since. A path the
        record names outside ``files/`` (or with '..', '.' or an empty part) is never touched: the
        record is a file of the folder, which may come from anyone.
        """
        wanted = {p.path for p in planned}
        stale = sorted(path for path in self.entries if path not in wanted)
        removed: list[str] = []
        changed: list[str] = []
        for path in stale:
            if not _inside_files(path):
                continue
            outcome = self._output.remove_if(path, _has_digest(self.entries[path].get("sha256")))
            if outcome:
                removed.append(path)
            elif outcome is not None:
                changed.append(path)  # the user's now: kept, and no longer the import's
        with self._lock:
            for path in stale:
                self.entries.pop(path, None)
            if stale:
                self._save()
        for folder in _emptied_folders(removed):
            self._output.remove_empty_folder(folder)
        return len(removed), changed


def _has_digest(digest: str | None) -> Callable[[BinaryIO], bool]:
    return lambda source: digest is not None and _sha256(source) == digest


def _inside_files(path: str) -> bool:
    parts = path.split("/")
    return len(parts) > 1 and parts[0] == FILES_DIR and all(p not in ("", ".", "..") for p in parts)


def _emptied_folders(removed: list[str]) -> list[str]:
    """The folders under ``files/`` that held removed files, and their parents, deepest first."""
    folders: set[str] = set()
    for path in removed:
        parts = path.split("/")[:-1]
        folders.update("/".join(parts[:n]) for n in range(2, len(parts) + 1))
    return sorted(folders, key=lambda folder: (-folder.count("/"), folder))


def fetch_files(
    output: OutputFolder,
    planned: list[PlannedFile],
    *,
    hosts: AssetHosts | None,
    workers: int = 8,
    progress: Callable[[int, int], None] | None = None,
) -> FileResult:
    record = _Record(output)
    # First: a file that is gone may stand where a folder now goes.
    removed, changed = record.remove_stale(planned)
    finished: list[str] = []
    downloaded: list[str] = []
    failed: dict[str, str] = {}
    lock = threading.Lock()

    def one(item: PlannedFile, downloads: AssetDownloads) -> None:
        fetched, problem = False, None
        try:
            if not record.matches(item):
                record.add(item, _download(output, item, downloads))
                fetched = True
        except (DownloadError, OSError) as error:  # this file only: the others go on
            problem = _problem(item, error)
        with lock:
            finished.append(item.path)
            if problem is not None:
                failed[item.asset.id] = problem
            elif fetched:
                downloaded.append(item.path)
            if progress is not None:
                progress(len(finished), len(planned))

    try:
        with AssetDownloads(hosts=hosts) as downloads, ThreadPoolExecutor(max_workers=workers) as pool:
            for future in [pool.submit(one, item, downloads) for item in planned]:
                future.result()
    finally:
        record.flush()  # also when interrupted: what finished is kept for the next import
    kept = len(planned) - len(downloaded) - len(failed)
    return FileResult(
        downloaded=len(downloaded), kept=kept, failed=failed, removed=removed, changed_here=tuple(changed)
    )


def _download(output: OutputFolder, item: PlannedFile, downloads: AssetDownloads) -> str:
    """Fetch ``item`` into its ``.part`` and rename it into place; return its SHA-256."""
    if not item.asset.url:
        raise DownloadError(f"asset {item.asset.id} has no url to download its file from")
    folder, _, name = item.path.rpartition("/")
    partial = name + PARTIAL_SUFFIX
    with output.directory(folder) as parent:
        replacing_link = is_link(parent, name)
        sink, dropped = open_partial(parent, partial, f"{item.path}{PARTIAL_SUFFIX}")
        if dropped:
            output.note(dropped)
        with sink:
            downloads.save_into(item.asset.url, sink, size=item.asset.size)
            digest = _sha256(sink)
        os.replace(partial, name, src_dir_fd=parent, dst_dir_fd=parent)  # replaces a link, never follows it
    if replacing_link:
        output.note(f"{item.path} was a symbolic link: replaced by the downloaded file (target untouched)")
    return digest


def _sha256(source: BinaryIO) -> str:
    source.seek(0)
    digest = hashlib.sha256()
    while chunk := source.read(_HASH_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _reference(planned: PlannedFile) -> str:
    return planned.asset.file_reference.id if planned.asset.file_reference else ""


def _problem(item: PlannedFile, error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror and not isinstance(error, DownloadError):
        return f"{item.path}: {error.strerror}"
    return str(error)
