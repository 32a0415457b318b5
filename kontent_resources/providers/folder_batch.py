"""Coalesces concurrent folder operations into one ``PATCH /folders``.

The engine creates independent folders concurrently, and the dynamic provider host serves at most
four calls at once (``max_workers=4`` in ``pulumi.dynamic``), so up to four operations can wait here
together. The first caller leads: it waits until that many have joined (or a short while has
passed), then sends every waiting operation at once. The API applies a PATCH atomically; if a
batch is refused nothing was applied, and each caller's operations are retried alone so that only
the faulty one fails, with its own error.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kontent_resources.client import KontentBadRequestError
from kontent_resources.models import FolderTree
from kontent_resources.models.folders import FolderOperation

PROVIDER_CONCURRENCY = 4
BATCH_WINDOW_SECONDS = 0.25

Send = Callable[[Sequence[FolderOperation]], FolderTree]


@dataclass
class _Request:
    operations: list[FolderOperation]
    done: threading.Event = field(default_factory=threading.Event)
    tree: FolderTree | None = None
    error: BaseException | None = None


class FolderPatchBatcher:
    def __init__(
        self,
        send: Send,
        on_tree: Callable[[FolderTree], None],
        *,
        window: float = BATCH_WINDOW_SECONDS,
        full_batch: int = PROVIDER_CONCURRENCY,
    ) -> None:
        self._send = send
        self._on_tree = on_tree
        self._window = window
        self._full_batch = full_batch
        self._joined = threading.Condition()
        self._waiting: list[_Request] = []
        self._leader_active = False
        # One PATCH at a time: each one reads and rewrites the whole tree on the server.
        self._send_lock = threading.Lock()

    def apply(self, operations: Sequence[FolderOperation]) -> FolderTree:
        """Apply ``operations`` (possibly together with other callers'); return the resulting tree."""
        request = _Request(list(operations))
        with self._joined:
            self._waiting.append(request)
            lead = not self._leader_active
            self._leader_active = True
            self._joined.notify_all()
        if lead:
            self._lead()
        request.done.wait()
        if request.error is not None:
            raise request.error
        assert request.tree is not None
        return request.tree

    def _lead(self) -> None:
        deadline = time.monotonic() + self._window
        with self._joined:
            while len(self._waiting) < self._full_batch and (left := deadline - time.monotonic()) > 0:
                self._joined.wait(left)
            batch, self._waiting = self._waiting, []
            self._leader_active = False
        self._send_batch(batch)

    def _send_batch(self, batch: list[_Request]) -> None:
        try:
            with self._send_lock:
                tree = self._send([op for request in batch for op in request.operations])
                self._on_tree(tree)
        except KontentBadRequestError as error:
            if len(batch) == 1:
                self._finish(batch, error=error)
            else:
                for request in batch:  # nothing was applied: isolate the operation at fault
                    self._send_batch([request])
        except BaseException as error:  # every waiter must be released
            self._finish(batch, error=error)
        else:
            self._finish(batch, tree=tree)

    @staticmethod
    def _finish(
        batch: list[_Request], *, tree: FolderTree | None = None, error: BaseException | None = None
    ) -> None:
        for request in batch:
            request.tree, request.error = tree, error
            request.done.set()
