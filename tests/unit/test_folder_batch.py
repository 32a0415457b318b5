"""FolderPatchBatcher: concurrent folder operations share one PATCH; a refused batch isolates the culprit."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import httpx
import pytest

from kontent_resources.client import KontentBadRequestError
from kontent_resources.models import FolderTree
from kontent_resources.models.common import RequestReference
from kontent_resources.models.folders import FolderCreate, FolderOperation, folder_add_into
from kontent_resources.providers.folder_batch import FolderPatchBatcher


class FakeApi:
    def __init__(self, refuse: str | None = None) -> None:
        self.calls: list[list[str]] = []
        self.refuse = refuse
        self.trees: list[FolderTree] = []

    def send(self, operations: Sequence[FolderOperation]) -> FolderTree:
        names = [op.value.name for op in operations]  # type: ignore[union-attr]
        self.calls.append(names)
        if self.refuse in names:
            raise KontentBadRequestError("refused", status=400)
        return FolderTree(folders=[])


def _op(name: str) -> FolderOperation:
    return folder_add_into(
        FolderCreate(name=name), parent=RequestReference(id="00000000-0000-0000-0000-000000000001")
    )


def _run_concurrently(batcher: FolderPatchBatcher, names: list[str]) -> dict[str, BaseException | None]:
    outcome: dict[str, BaseException | None] = {}

    def call(name: str) -> None:
        try:
            batcher.apply([_op(name)])
            outcome[name] = None
        except BaseException as error:  # recorded for the assertions
            outcome[name] = error

    threads = [threading.Thread(target=call, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    return outcome


def test_four_concurrent_operations_share_one_patch() -> None:
    api = FakeApi()
    batcher = FolderPatchBatcher(api.send, lambda _tree: None, window=5.0)
    outcome = _run_concurrently(batcher, ["a", "b", "c", "d"])
    assert outcome == dict.fromkeys("abcd")
    assert len(api.calls) == 1, "a full batch is sent at once, without waiting out the window"
    assert sorted(api.calls[0]) == ["a", "b", "c", "d"]


def test_a_lone_operation_is_sent_after_the_window() -> None:
    api = FakeApi()
    batcher = FolderPatchBatcher(api.send, lambda _tree: None, window=0.05)
    batcher.apply([_op("alone")])
    assert api.calls == [["alone"]]


def test_a_refused_batch_fails_only_the_faulty_operation() -> None:
    api = FakeApi(refuse="bad")
    batcher = FolderPatchBatcher(api.send, lambda _tree: None, window=5.0)
    outcome = _run_concurrently(batcher, ["a", "bad", "c", "d"])
    assert isinstance(outcome.pop("bad"), KontentBadRequestError)
    assert outcome == dict.fromkeys("acd")
    assert len(api.calls) == 5, "one refused batch, then each operation alone"


def test_transport_errors_release_every_waiter() -> None:
    def broken(_ops: Sequence[FolderOperation]) -> FolderTree:
        raise httpx.ConnectError("down")

    batcher = FolderPatchBatcher(broken, lambda _tree: None, window=0.2)
    outcome = _run_concurrently(batcher, ["a", "b", "c", "d"])
    assert all(isinstance(error, httpx.ConnectError) for error in outcome.values())
    with pytest.raises(httpx.ConnectError):
        batcher.apply([_op("e")])
