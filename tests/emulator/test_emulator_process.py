"""The emulator as a process: CLI contract, clean shutdown, durability across kill -9, streamed uploads."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from kontent_resources.emulator import EmulatorProcess
from tests.images import jpeg_bytes

from .emulator_helpers import REPO_ROOT, create_asset, file_ref

READY = re.compile(r"^Kontent\.ai emulator listening on http://127\.0\.0\.1:(\d+)/v2$")


def test_cli_prints_exactly_one_ready_line_and_stops_cleanly_on_sigint(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kontent_resources.emulator", "--port", "0", "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().rstrip("\n")
        match = READY.match(line)
        assert match, line
        response = httpx.get(f"http://127.0.0.1:{match.group(1)}/_emulator/health")
        assert response.json()["status"] == "ok"
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=15)
    finally:
        proc.kill()
    assert proc.returncode == 0
    assert out == ""  # nothing but the ready line on stdout


def test_sigterm_exits_zero_and_removes_the_temporary_data_dir(tmp_path: Path) -> None:
    emulator = EmulatorProcess(extra_env={"TMPDIR": str(tmp_path)}).start()
    with emulator.client() as client:
        create_asset(client, "tmp")
    assert any(tmp_path.iterdir())
    assert emulator.stop() == 0
    assert list(tmp_path.iterdir()) == []


def test_acknowledged_writes_survive_kill_9(tmp_path: Path) -> None:
    data = jpeg_bytes()
    first = EmulatorProcess(data_dir=tmp_path, rate_limit=False).start()
    with first.client() as client:
        asset = create_asset(client, "durable", title="Durable")
        client.post("/folders", json={"folders": [{"name": "Kept", "external_id": "kept"}]})
        elements = [{"element": {"codename": "hero_image"}, "value": [{"id": asset["id"]}]}]
        client.put("/items/codename/home/variants/codename/en-US", json={"elements": elements})
        transformation = {"mode": "rect", "fit": "clip", "x": 0, "y": 0, "width": 10, "height": 10,
                          "custom_width": 5, "custom_height": 5}  # fmt: skip
        client.post("/assets/external-id/durable/renditions", json={"transformation": transformation})
        last = client.put("/assets/external-id/durable", json={"title": "Last write"})
        assert last.status_code == 200
    first.kill()  # SIGKILL right after the last acknowledged write
    assert first.proc is not None
    assert first.proc.returncode == -signal.SIGKILL

    second = EmulatorProcess(data_dir=tmp_path, rate_limit=False).start()
    try:
        with second.client() as client:
            restored = client.get("/assets/external-id/durable").json()
            assert restored["title"] == "Last write"
            assert restored["id"] == asset["id"]
            assert client.get("/folders").json()["folders"][0]["external_id"] == "kept"
            assert len(client.get(f"/assets/{asset['id']}/renditions").json()["asset_renditions"]) == 1
            assert "in use" in client.delete(f"/assets/{asset['id']}").json()["message"]
            assert httpx.get(restored["url"]).content == data
    finally:
        assert second.stop() == 0


def test_state_survives_a_clean_restart_without_reseeding(tmp_path: Path) -> None:
    with EmulatorProcess(data_dir=tmp_path) as first, first.client() as client:
        client.delete("/items/codename/contact")
    with EmulatorProcess(data_dir=tmp_path) as second, second.client() as client:
        assert [i["codename"] for i in client.get("/items").json()["items"]] == ["home", "about_us"]


def test_a_data_dir_serves_one_emulator_at_a_time(tmp_path: Path) -> None:
    with EmulatorProcess(data_dir=tmp_path) as first:
        second = subprocess.run(
            [sys.executable, "-m", "kontent_resources.emulator", "--data-dir", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=30,
            cwd=REPO_ROOT,
            check=False,
        )
        assert second.returncode == 1
        assert "in use" in second.stderr
        assert second.stdout == ""
        with first.client() as client:
            assert client.get("/languages").status_code == 200


@pytest.fixture
def process() -> Iterator[EmulatorProcess]:
    with EmulatorProcess(rate_limit=False) as emulator:
        yield emulator


@pytest.fixture
def large_files_process() -> Iterator[EmulatorProcess]:
    """An emulator for an environment whose file limit is raised above the documented 100 MB."""
    with EmulatorProcess(rate_limit=False, max_file_size=2 * 1024**3) as emulator:
        yield emulator


def _chunks(total: int, chunk: int = 1024 * 1024) -> Iterator[bytes]:
    block = b"\x5a" * chunk
    sent = 0
    while sent < total:
        size = min(chunk, total - sent)
        sent += size
        yield block[:size]


@pytest.mark.slow
def test_1_gb_upload_streams_with_flat_memory(large_files_process: EmulatorProcess) -> None:
    process = large_files_process
    total = 1024**3
    server = psutil.Process(process.pid)
    baseline = server.memory_info().rss
    peak = [baseline]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], server.memory_info().rss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        with process.client(timeout=300) as client:
            headers = {"Content-Type": "application/octet-stream", "Content-Length": str(total)}
            response = client.post("/files/big.bin", content=_chunks(total), headers=headers)
            assert response.status_code == 200, response.text
            asset = client.post("/assets", json={"file_reference": file_ref(response.json()["id"])}).json()
    finally:
        done.set()
        sampler.join()
    assert asset["size"] == total
    assert asset["image_width"] is None
    assert peak[0] - baseline < 64 * 1024**2, (
        f"server memory grew by {(peak[0] - baseline) / 1024**2:.0f} MiB"
    )


def test_help_shows_every_default_a_program_needs() -> None:
    from kontent_resources.emulator.__main__ import build_parser
    from kontent_resources.emulator.config import DEFAULT_API_KEY, DEFAULT_ENVIRONMENT_ID

    text = "".join(build_parser().format_help().split())  # argparse wraps lines, also at hyphens
    for default in (DEFAULT_ENVIRONMENT_ID, DEFAULT_API_KEY, "127.0.0.1", "(default 10", "(default 400",
                    "(default 50)", "104,857,600"):  # fmt: skip
        assert "".join(default.split()) in text, default
