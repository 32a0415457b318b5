"""`kontent-resources import` of 1,000 assets: time and Management API calls beside the bound (issue 18).

Run: ``.venv/bin/python bench/bench_import.py [--assets 1000]``

An emulator (limits off, so only the toolkit is timed; and with the real limits, where the API's
400 calls/min is the bound) is seeded through the API with small PNGs in 10 folders, every fifth
with a rendition. The import runs as a user runs it (``python -m kontent_resources import``). The
bound is the calls the API needs: the folder tree, languages, collections, one per page of assets
(50 per page) and one rendition list per image asset (the API lists renditions per asset only).
File downloads come from the asset URLs, which the limits do not count.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _stack import compile_as_installed, fastest_allowed

from kontent_resources.client import KontentClient, RateLimit
from kontent_resources.emulator.server import EmulatorProcess
from kontent_resources.models.assets import AssetCreate
from kontent_resources.models.common import RequestReference
from kontent_resources.models.folders import FolderCreate
from kontent_resources.models.renditions import RenditionCreate, TransformationRequest

PAGE = 50


def seed(emulator: EmulatorProcess, assets: int, work: Path) -> None:
    with KontentClient(
        emulator.environment_id, emulator.api_key, emulator.base_url, rate_limit=RateLimit(enabled=False)
    ) as client:
        tree = client.folders.add([FolderCreate(name=f"Folder {n}") for n in range(10)])
        folders = [f.id for f in tree.folders]
        crop = TransformationRequest(x=0, y=0, width=8, height=8, custom_width=4, custom_height=4)
        for n in range(assets):
            path = work / f"image-{n}.png"
            buffer = io.BytesIO()
            Image.new("RGB", (16, 16), (n % 256, n // 256 % 256, 7)).save(buffer, "PNG")
            path.write_bytes(buffer.getvalue())
            reference = client.files.upload(path, file_name=path.name, content_type="image/png")
            asset = client.assets.add(
                AssetCreate(
                    file_reference=reference.to_request(),
                    title=f"Image {n}",
                    folder=RequestReference(id=folders[n % 10]),
                )
            )
            if n % 5 == 0:
                client.renditions.add(asset.id, RenditionCreate(transformation=crop))


def run_import(emulator: EmulatorProcess, target: Path, *, limited: bool) -> tuple[float, int, str]:
    env = {
        **os.environ,
        # Off, the client does not pace itself either; on, it keeps to the documented limits.
        "KONTENT_MAX_REQUESTS_PER_SECOND": "10" if limited else "0",
        "KONTENT_ENVIRONMENT_ID": emulator.environment_id,
        "KONTENT_API_KEY": emulator.api_key,
        "KONTENT_BASE_URL": emulator.base_url,
    }
    emulator.reset_counters()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "kontent_resources", "import", str(target)],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    return elapsed, int(emulator.counters()["total"]), done.stdout.strip().splitlines()[0]


def main() -> None:
    compile_as_installed()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assets", type=int, default=1000)
    arguments = parser.parse_args()
    n = arguments.assets
    bound = 3 + -(-n // PAGE) + n  # tree, languages, collections; asset pages; renditions per image
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        (work / "seed").mkdir()
        with EmulatorProcess(data_dir=work / "emulator", rate_limit=False) as emulator:
            seed(emulator, n, work / "seed")
            rows = []
            for label, limited in (("limits off", False), ("real limits (10/s, 400/min)", True)):
                emulator.set_rate_limit(enabled=limited)
                seconds, calls, summary = run_import(emulator, work / f"project-{limited}", limited=limited)
                rows.append((label, seconds, calls))
                print(summary, file=sys.stderr)
                if not limited:
                    again, again_calls, summary = run_import(emulator, work / "project-False", limited=False)
                    rows.append((f"{label}, again (files kept)", again, again_calls))
                    print(re.sub(r"^.* in ", "again: ", summary), file=sys.stderr)
    print(f"import of {n} assets (10 folders, {n // 5} renditions); API bound {bound} calls")
    print(f"{'run':<42} {'time':>8} {'calls':>6}  fastest the limits allow for the bound")
    for label, seconds, calls in rows:
        print(f"{label:<42} {seconds:>7.1f}s {calls:>6}  {fastest_allowed(bound):.0f} s")


if __name__ == "__main__":
    main()
