"""Durable state: one SQLite database (WAL, ``synchronous=NORMAL``) plus uploaded files on disk.

Every request runs its whole read-validate-write sequence in one transaction under one
lock, so handlers that uvicorn runs concurrently never interleave, a failed validation
leaves nothing half-written (folder PATCH atomicity comes for free), and a 2xx is only
sent after ``COMMIT`` returned, i.e. after SQLite wrote the transaction to the WAL file: a
``kill -9`` right after an acknowledged write loses nothing, as SQLite's transactions "are
durable across application crashes regardless of the synchronous setting or journal mode"
(sqlite.org, PRAGMA synchronous). What is not kept is durability across a power loss of the
machine (WAL with NORMAL "might roll back following a power loss or system crash"), which
would cost an fsync per write, three per upload: about a fifth of the emulator's CPU per call
(3.7-4.1 ms with them, 3.1-3.2 ms without), for data a test throws away.

Transactions run on the event loop's thread: they are serialised by one lock anyway, take a
fraction of a millisecond without fsyncs, and the hop to a worker thread and back cost about
1 ms of CPU per call more than the work (2.0-2.1 ms without it). Both changes together:
``bench/bench_emulator.py`` 209 -> 297 requests/s on one client thread.

Objects are stored as JSON documents in their API shape, with a few indexed columns
for the lookups the API needs (external id, codename, parent object, folder).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

T = TypeVar("T")
Doc = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    parent TEXT,
    folder TEXT,
    external_id TEXT,
    codename TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
-- Each lookup index ends in seq: ``find`` orders by it, and without seq in the index SQLite
-- walked docs_seq through every document of the kind instead (a create among 5,000 assets took
-- 4x as long as in an empty environment). Data dirs of earlier versions get the new indexes.
DROP INDEX IF EXISTS docs_ext;
DROP INDEX IF EXISTS docs_codename;
DROP INDEX IF EXISTS docs_folder;
CREATE INDEX IF NOT EXISTS docs_ext_seq ON docs (kind, external_id, seq);
CREATE INDEX IF NOT EXISTS docs_codename_seq ON docs (kind, codename, seq);
CREATE INDEX IF NOT EXISTS docs_parent ON docs (kind, parent, seq);
CREATE INDEX IF NOT EXISTS docs_folder_seq ON docs (kind, folder, seq);
CREATE INDEX IF NOT EXISTS docs_seq ON docs (kind, seq);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_LOOKUP_COLUMNS = frozenset({"external_id", "codename", "parent", "folder"})


class DataDirInUseError(RuntimeError):
    """Another emulator (process or thread) already serves this data directory."""


class Tx:
    """The operations available inside one transaction (see ``Store.run``)."""

    def __init__(self, conn: sqlite3.Connection, store: Store) -> None:
        self._conn = conn
        self._store = store
        self._after_commit: list[Callable[[], None]] = []

    # -- documents -------------------------------------------------------------------
    def get(self, kind: str, doc_id: str) -> Doc | None:
        row = self._conn.execute("SELECT data FROM docs WHERE kind=? AND id=?", (kind, doc_id)).fetchone()
        return None if row is None else _load(row[0])

    def find(self, kind: str, column: str, value: str, parent: str | None = None) -> Doc | None:
        """First document whose lookup ``column`` equals ``value`` (optionally under ``parent``)."""
        if column not in _LOOKUP_COLUMNS:
            raise ValueError(column)
        sql = f"SELECT data FROM docs WHERE kind=? AND {column}=?"  # noqa: S608 - column is whitelisted
        args: tuple[str, ...] = (kind, value)
        if parent is not None:
            sql += " AND parent=?"
            args += (parent,)
        row = self._conn.execute(sql + " ORDER BY seq LIMIT 1", args).fetchone()
        return None if row is None else _load(row[0])

    def exists(self, kind: str, column: str, value: str, parent: str | None = None) -> bool:
        return self.find(kind, column, value, parent) is not None

    def count_in_folders(self, kind: str, folder_ids: list[str]) -> int:
        if not folder_ids:
            return 0
        marks = ",".join("?" for _ in folder_ids)
        sql = f"SELECT COUNT(*) FROM docs WHERE kind=? AND folder IN ({marks})"  # noqa: S608 - only '?'
        return int(self._conn.execute(sql, (kind, *folder_ids)).fetchone()[0])

    def page(self, kind: str, after_seq: int, limit: int, parent: str | None = None) -> list[tuple[int, Doc]]:
        """Documents in insertion order, ``limit`` of them after ``after_seq`` (for pagination)."""
        if parent is None:
            rows = self._conn.execute(
                "SELECT seq, data FROM docs WHERE kind=? AND seq>? ORDER BY seq LIMIT ?",
                (kind, after_seq, limit),
            )
        else:
            rows = self._conn.execute(
                "SELECT seq, data FROM docs WHERE kind=? AND parent=? AND seq>? ORDER BY seq LIMIT ?",
                (kind, parent, after_seq, limit),
            )
        return [(int(seq), _load(data)) for seq, data in rows]

    def all(self, kind: str, parent: str | None = None) -> list[Doc]:
        return [doc for _, doc in self.page(kind, 0, -1, parent)]

    def put(
        self,
        kind: str,
        doc: Doc,
        *,
        key: str | None = None,
        parent: str | None = None,
        folder: str | None = None,
    ) -> None:
        """Insert or replace ``doc`` under ``key`` (default ``doc['id']``); keeps its list position."""
        key = key if key is not None else doc["id"]
        row = self._conn.execute("SELECT seq FROM docs WHERE kind=? AND id=?", (kind, key)).fetchone()
        seq = int(row[0]) if row is not None else self._store.next_seq()
        self._conn.execute(
            "INSERT OR REPLACE INTO docs (kind, id, seq, parent, folder, external_id, codename, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                kind,
                key,
                seq,
                parent,
                folder,
                doc.get("external_id"),
                doc.get("codename"),
                json.dumps(doc, separators=(",", ":")),
            ),
        )

    def delete(self, kind: str, doc_id: str) -> None:
        self._conn.execute("DELETE FROM docs WHERE kind=? AND id=?", (kind, doc_id))

    def delete_children(self, kind: str, parent: str) -> None:
        self._conn.execute("DELETE FROM docs WHERE kind=? AND parent=?", (kind, parent))

    def delete_everything(self) -> None:
        self._conn.execute("DELETE FROM docs")
        self._conn.execute("DELETE FROM meta")

    # -- singletons (folder tree, collection list timestamps, ...) -----------------------
    def meta_get(self, key: str) -> Any:
        row = self._conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def meta_set(self, key: str, value: Any) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            (key, json.dumps(value, separators=(",", ":"))),
        )

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the transaction is durable (e.g. delete a file's bytes)."""
        self._after_commit.append(callback)

    def run_after_commit(self) -> None:
        for callback in self._after_commit:
            callback()


class Store:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._dir_lock = _lock_data_dir(data_dir)
        self.files_dir = data_dir / "files"
        self.incoming_dir = self.files_dir / ".incoming"
        self.incoming_dir.mkdir(parents=True, exist_ok=True)
        # Partial uploads of a previous process can never complete: drop them.
        for leftover in self.incoming_dir.iterdir():
            leftover.unlink(missing_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            str(data_dir / "emulator.sqlite3"), isolation_level=None, check_same_thread=False
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)
        self._seq = int(self._conn.execute("SELECT COALESCE(MAX(seq), 0) FROM docs").fetchone()[0])
        self._closed = False

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self._lock:
            if self._closed:
                raise RuntimeError("store is closed")
            tx = Tx(self._conn, self)
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield tx
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        tx.run_after_commit()

    def run_sync(self, fn: Callable[[Tx], T]) -> T:
        with self.transaction() as tx:
            return fn(tx)

    async def run(self, fn: Callable[[Tx], T]) -> T:
        """Run ``fn`` in one transaction (on the event loop's thread: see the module's docstring)."""
        return self.run_sync(fn)

    # -- file bytes ------------------------------------------------------------------------
    def blob_path(self, file_id: str) -> Path:
        return self.files_dir / file_id

    def incoming_path(self, token: str) -> Path:
        return self.incoming_dir / f"{token}.part"

    def commit_blob(self, incoming: Path, file_id: str) -> Path:
        """Put an uploaded file under its id before the database refers to it."""
        target = self.blob_path(file_id)
        os.replace(incoming, target)
        return target

    def remove_blob(self, file_id: str) -> None:
        self.blob_path(file_id).unlink(missing_ok=True)

    def remove_all_blobs(self) -> None:
        for entry in self.files_dir.iterdir():
            if entry.is_file():
                entry.unlink(missing_ok=True)
            elif entry != self.incoming_dir:
                shutil.rmtree(entry, ignore_errors=True)

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._conn.close()
                self._dir_lock.close()  # releases the data directory


def _lock_data_dir(data_dir: Path) -> IO[str]:
    """Exclusive, non-blocking lock: two emulators writing one database would corrupt each other.

    The OS drops the lock when the holder dies, so a restart after ``kill -9`` just works.
    """
    handle = (data_dir / "emulator.lock").open("a+")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        handle.close()
        raise DataDirInUseError(f"the data directory {data_dir} is in use by another emulator") from exc
    return handle


def _load(data: str) -> Doc:
    loaded: Doc = json.loads(data)
    return loaded
