"""A per-user journal of uploaded files, so that a create retried after a crash uploads nothing again.

The Management API has no endpoint to list or delete binary files ("Binary files that are not used
by any assets will not be visible in the Kontent.ai UI", API reference, Assets): a file uploaded for
an asset whose write never happened, or whose write happened but was never recorded (the engine
killed, the state written once per run), stays in the environment, referenced by nothing, for good.
The retried create would upload the same bytes again and leave the first copy behind.

So each upload's file reference is written here as soon as its answer arrives, keyed by what makes
the upload the same one again: the environment, the asset's external id (each binary file can be
referenced only by a single asset, so a reference is only ever reused by the asset it was uploaded
for), the content's SHA-256, the file name and the content type. The retried create or update finds
it and points the asset at that file instead of uploading another. A reference that no longer
works (the asset and its file were deleted since) is refused by the API, and the caller then
uploads as usual.

The journal lives in the per-user state folder (``_userstate.state_dir``), one JSON-lines file per
environment, appended under a file lock by every process of this user; entries older than
``ENTRY_TTL_SECONDS`` are dropped when a process first reads it. Without a usable state folder the
journal is off (with one warning) and uploads work as before.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kontent_resources._userstate import open_private, state_dir

log = logging.getLogger(__name__)

# Entries only matter until the run that made them is recovered: a killed `up` is normally redone
# within minutes or hours. A week covers a weekend's interrupted CI job.
ENTRY_TTL_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class UploadKey:
    """What makes two uploads the same one: the asset they are for and the exact file sent."""

    external_id: str
    content_sha256: str
    file_name: str
    content_type: str

    def digest(self) -> str:
        # Hashed: the journal needs equality only, and keeps no file or asset names in clear.
        text = "\0".join((self.external_id, self.content_sha256, self.file_name, self.content_type))
        return hashlib.sha256(text.encode()).hexdigest()

    def asset_digest(self) -> str:
        return asset_digest(self.external_id)


def asset_digest(external_id: str) -> str:
    return hashlib.sha256(f"asset\0{external_id}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class _Entry:
    asset: str
    file_id: str
    written_at: int


class UploadJournal:
    """File references by upload key, read from disk once per process and appended to on every change.

    Lines are applied in order: ``{"k", "a", "f", "t"}`` records a file, ``{"k", "f": null}``
    forgets one upload, ``{"a", "f": null}`` every upload of one asset (it was deleted).
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] | None = None

    def find(self, key: UploadKey) -> str | None:
        """The file uploaded earlier for ``key`` (by any process of this user), if one is recorded."""
        with self._lock:
            entry = self._loaded().get(key.digest())
        return entry.file_id if entry else None

    def record(self, key: UploadKey, file_id: str) -> None:
        self._append({"k": key.digest(), "a": key.asset_digest(), "f": file_id, "t": int(time.time())})

    def forget(self, key: UploadKey) -> None:
        self._append({"k": key.digest(), "f": None})

    def forget_asset(self, external_id: str) -> None:
        """Drop every upload of the asset ``external_id``: it was deleted, and its files with it."""
        self._append({"a": asset_digest(external_id), "f": None})

    def _append(self, line: dict[str, object]) -> None:
        with self._lock:
            entries = self._loaded()
            with self._locked_file() as handle:
                handle.seek(0, 2)
                handle.write(json.dumps(line) + "\n")
                handle.flush()
            _apply(entries, line)

    def _loaded(self) -> dict[str, _Entry]:
        if self._entries is None:
            with self._locked_file() as handle:
                self._entries = _compacted(handle)
        return self._entries

    @contextmanager
    def _locked_file(self) -> Iterator[IO[str]]:
        with open_private(self._path) as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield handle
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _apply(entries: dict[str, _Entry], line: dict[str, object]) -> None:
    key, asset, file_id = line.get("k"), line.get("a"), line.get("f")
    if isinstance(key, str) and isinstance(asset, str) and isinstance(file_id, str):
        entries[key] = _Entry(asset, file_id, int(str(line.get("t", 0))))
    elif isinstance(key, str):
        entries.pop(key, None)
    elif isinstance(asset, str):
        for dropped in [k for k, entry in entries.items() if entry.asset == asset]:
            del entries[dropped]


def _line_of(key: str, entry: _Entry) -> str:
    return json.dumps({"k": key, "a": entry.asset, "f": entry.file_id, "t": entry.written_at}) + "\n"


def _compacted(handle: IO[str]) -> dict[str, _Entry]:
    """The live entries of the journal; rewrites it without expired and superseded lines."""
    handle.seek(0)
    entries: dict[str, _Entry] = {}
    lines = 0
    for text in handle:
        lines += 1
        try:
            line = json.loads(text)
        except ValueError:
            continue  # a line cut by a crash mid-write: nothing to recover from it
        if isinstance(line, dict):
            _apply(entries, line)
    oldest = time.time() - ENTRY_TTL_SECONDS
    live = {k: entry for k, entry in entries.items() if entry.written_at >= oldest}
    if lines > len(live):
        handle.seek(0)
        handle.truncate()
        handle.writelines(_line_of(k, e) for k, e in live.items())
        handle.flush()
    return live


_journals: dict[str, UploadJournal | None] = {}
_journals_lock = threading.Lock()


def journal_for(base_url: str, environment_id: str) -> UploadJournal | None:
    """This environment's journal, or None (warned once) when the per-user state folder is unusable."""
    scope = hashlib.sha256(f"{base_url}\0{environment_id}".encode()).hexdigest()[:32]
    with _journals_lock:
        if scope not in _journals:
            _journals[scope] = _open_journal(scope)
        return _journals[scope]


def _open_journal(scope: str) -> UploadJournal | None:
    try:
        journal = UploadJournal(state_dir() / f"uploads-{scope}.jsonl")
        journal.find(UploadKey("", "", "", ""))  # reads (and compacts) it now, so problems show here
    except OSError as error:
        log.warning(
            "no upload journal (%s): a create retried after a crash uploads its file again, and the "
            "first copy stays in the environment, referenced by no asset",
            error,
        )
        return None
    return journal
