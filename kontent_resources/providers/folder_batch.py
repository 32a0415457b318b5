"""Coalesces concurrent folder operations into one ``PATCH /folders``.

The engine creates independent folders concurrently (up to the provider's four worker threads);
the API takes an ordered list of operations per PATCH, applied atomically. The first caller
waits a moment for others, then sends every waiting operation at once. If that batch is refused,
nothing was applied, and each caller's operations are retried alone so that only the faulty one
fails, with its own error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kontent_resources.client import KontentBadRequestError
from kontent_resources.models import FolderOperation, FolderTree

BATCH_WINDOW_SECONDS = 0.03

Send = Callable[[Sequence[FolderOperation]], FolderTree]


@dataclass
class _Request:
    operations: list[FolderOperation]
    done: threading.Event = field(default_factory=threading.Event)
    tree: FolderTree | None = None
    error: BaseException | None = None


class FolderPatchBatcher:
    def __init__(
        self, send: Send, on_tree: Callable[[FolderTree], None], window: float = BATCH_WINDOW_SECONDS
    ) -> None:
        self._send = send
        self._on_tree = on_tree
        self._window = window
        self._lock = threading.Lock()
        self._waiting: list[_Request] = []
        self._leader_active = False
        # One PATCH at a time: each one reads and rewrites the whole tree on the server.
        self._send_lock = threading.Lock()
        self.batches_sent = 0

    def apply(self, operations: Sequence[FolderOperation]) -> FolderTree:
        """Apply ``operations`` (possibly together with other callers'); return the resulting tree."""
        request = _Request(list(operations))
        with self._lock:
            self._waiting.append(request)
            lead = not self._leader_active
            self._leader_active = True
        if lead:
            self._lead()
        request.done.wait()
        if request.error is not None:
            raise request.error
        assert request.tree is not None
        return request.tree

    def _lead(self) -> None:
        threading.Event().wait(self._window)  # let concurrent callers join this batch
        # Callers arriving while an earlier PATCH is in flight join this batch too.
        with self._send_lock:
            with self._lock:
                batch, self._waiting = self._waiting, []
                self._leader_active = False
            self._send_batch(batch)

    def _send_batch(self, batch: list[_Request]) -> None:
        try:
            tree = self._patch([op for request in batch for op in request.operations])
        except KontentBadRequestError as error:
            if len(batch) == 1:
                self._finish(batch, error=error)
            else:
                for request in batch:  # nothing was applied: isolate the operation at fault
                    self._send_batch([request])
        except BaseException as error:
            self._finish(batch, error=error)
        else:
            self._finish(batch, tree=tree)

    def _patch(self, operations: list[FolderOperation]) -> FolderTree:
        self.batches_sent += 1
        tree = self._send(operations)
        self._on_tree(tree)
        return tree

    @staticmethod
    def _finish(
        batch: list[_Request], *, tree: FolderTree | None = None, error: BaseException | None = None
    ) -> None:
        for request in batch:
            request.tree, request.error = tree, error
            request.done.set()
