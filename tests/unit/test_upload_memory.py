"""A 500 MB upload keeps the client's memory flat (the body is streamed from disk)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from kontent_resources.client import KontentClient

from .conftest import ScriptedServer

SIZE = 500 * 1024 * 1024
LIMIT = 50 * 1024 * 1024


class PeakRss:
    """Samples this process's resident set size in a background thread."""

    def __init__(self, interval: float = 0.005) -> None:
        self._process = psutil.Process()
        self._interval = interval
        self._stop = threading.Event()
        self.baseline = self._process.memory_info().rss
        self.peak = self.baseline
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.peak = max(self.peak, self._process.memory_info().rss)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._process.memory_info().rss)

    @property
    def growth(self) -> int:
        return self.peak - self.baseline


@pytest.mark.slow
def test_500_mb_upload_keeps_client_memory_flat(
    api: ScriptedServer, make_client: Callable[..., KontentClient], tmp_path: Path
) -> None:
    big = tmp_path / "big.bin"
    with big.open("wb") as handle:
        handle.truncate(SIZE)  # sparse: no disk space, reads back as zeros
    warm_up = tmp_path / "small.bin"
    warm_up.write_bytes(b"x" * 4096)
    client = make_client()
    try:
        client.files.upload(warm_up)
        with PeakRss() as rss:
            reference = client.files.upload(big)
        assert reference.type == "internal"
        received = api.requests()[-1]
        assert received["size"] == SIZE
        assert received["headers"]["content-length"] == str(SIZE)
        assert rss.growth < LIMIT, f"client RSS grew by {rss.growth / 2**20:.1f} MiB during the upload"
    finally:
        big.unlink(missing_ok=True)
