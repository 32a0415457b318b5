"""Uploading a large file: client memory and throughput beside curl (issue 8).

Run: ``.venv/bin/python bench/bench_upload.py [--size 104857600]``

Both upload the same file to the same emulator (limits off): ``curl --data-binary @file`` and
``KontentClient.files.upload``. The default is the API's documented limit, 100 MB per file (larger
sizes raise the emulator's ``--max-file-size`` to match, for environments with another limit): curl
7.88 refuses to load 1 GiB or more into memory for ``--data-binary`` ("out of memory"), so such runs
fall back to ``curl -T`` (streamed from disk) as the baseline. The client runs in a child process
whose resident memory is sampled every 10 ms, so the figure is the client's own peak growth over
its idle baseline.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kontent_resources.api_limits import MAX_FILE_SIZE
from kontent_resources.emulator.server import EmulatorProcess

CHILD = r"""
import json, sys, threading, time
import psutil
from kontent_resources.client import KontentClient, RateLimit
env, key, base, path = sys.argv[1:5]
process = psutil.Process()
client = KontentClient(env, key, base, rate_limit=RateLimit(enabled=False))
client.languages.get("codename/en-US")  # warm up: imports, connection pool
baseline = peak = process.memory_info().rss
done = threading.Event()
def sample():
    global peak
    while not done.is_set():
        peak = max(peak, process.memory_info().rss)
        time.sleep(0.01)
sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
start = time.perf_counter()
client.files.upload(path, file_name="big.bin", content_type="application/octet-stream")
elapsed = time.perf_counter() - start
done.set(); sampler.join()
print(json.dumps({"seconds": elapsed, "peak_growth": peak - baseline}))
"""


CURL_MEMORY_CAP = 1 << 30


def make_file(path: Path, size: int) -> None:
    """Non-zero content (a sparse file would flatter both sides)."""
    block = bytes(range(256)) * 4096
    with path.open("wb") as out:
        for _ in range(size // len(block)):
            out.write(block)
        out.write(block[: size % len(block)])


def curl_seconds(emulator: EmulatorProcess, path: Path) -> float:
    url = f"{emulator.project_url}/files/big.bin"
    start = time.perf_counter()
    subprocess.run(
        [
            "curl",
            "-sS",
            "-o",
            "/dev/null",
            "--fail",
            "--data-binary",
            f"@{path}",
            "-H",
            f"Authorization: Bearer {emulator.api_key}",
            "-H",
            "Content-Type: application/octet-stream",
            url,
        ],
        check=True,
    )
    return time.perf_counter() - start


def client_run(emulator: EmulatorProcess, path: Path) -> dict[str, float]:
    args = [
        sys.executable,
        "-c",
        CHILD,
        emulator.environment_id,
        emulator.api_key,
        emulator.base_url,
        str(path),
    ]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--size", type=int, default=MAX_FILE_SIZE, help=f"bytes (default {MAX_FILE_SIZE:,}: the API's limit)"
    )
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    size = args.size
    with tempfile.TemporaryDirectory(prefix="kontent-upload-") as tmp:
        path = Path(tmp) / "big.bin"
        make_file(path, size)
        emulator_process = EmulatorProcess(
            data_dir=Path(tmp) / "emulator", rate_limit=False, max_file_size=max(size, MAX_FILE_SIZE)
        )
        with emulator_process as emulator:
            curl = min(curl_seconds(emulator, path) for _ in range(args.rounds))
            curl_mode = "--data-binary" if size < CURL_MEMORY_CAP else "-T"
            runs = [client_run(emulator, path) for _ in range(args.rounds)]
    best = min(r["seconds"] for r in runs)
    peak = max(r["peak_growth"] for r in runs) / 2**20
    mb = size / 2**20
    ratio = (mb / best) / (mb / curl)
    memory_ok = "ok" if peak < 64 else "MISSED"
    speed_ok = "ok" if ratio >= 0.8 else "MISSED"
    print("| measure | measured | bound or baseline | |\n| --- | --- | --- | --- |")
    label = f"upload {size / 2**20:.0f} MiB"
    print(f"| {label}: client peak memory growth | {peak:.1f} MiB | < 64 MiB | {memory_ok} |")
    print(
        f"| {label}: client throughput | {mb / best:.0f} MiB/s ({best:.1f} s) | "
        f"curl {curl_mode}: {mb / curl:.0f} MiB/s ({curl:.1f} s); ≥ 80% | {ratio:.0%} {speed_ok} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
