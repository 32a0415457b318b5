"""Convergence at the API's rate-limit ceiling, and calls wasted (issue 8).

Run: ``.venv/bin/python bench/bench_converge.py [--assets 200] [--folders 200]``

Each stack runs through the standard CLI (``pulumi`` with a file backend, a checkpoint per step)
when the Python language host is installed beside it, else through the sandbox; the first line
printed says which. Figures, all from the emulator's own request counters (not estimates):
1. ``pulumi up`` of N new assets with the real limits on (10/s, 400/min): calls per asset, wall time
   beside the bound the limits set, and how many 429s reached the client.
2. ``pulumi preview`` and ``pulumi up`` of the unchanged stack: API calls.
3. ``pulumi refresh``: API calls beside one GET per resource.
4. Provider overhead per resource with limits off, beside a plain sequential client script.
5. PATCH calls for a tree of F folders.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _stack import (
    BenchStack,
    asset_spec,
    bench_path,
    compile_as_installed,
    fastest_allowed,
    make_files,
    row,
)

from kontent_resources.client import KontentClient, RateLimit
from kontent_resources.emulator.server import EmulatorProcess
from kontent_resources.models.assets import AssetUpsert


def converge_at_limits(root: Path, files: list[Path]) -> list[str]:
    n = len(files)
    with EmulatorProcess(data_dir=root / "limited") as emulator:
        stack = BenchStack(root, emulator, "limited")
        stack.set_spec(asset_spec(files))
        wall, counters = stack.timed("up")
        calls, limited = counters["total"], counters["rate_limited"]
        bound = fastest_allowed(calls)
        rows = [
            row(
                f"up: {n} new assets, API calls",
                f"{calls} ({(calls) / n:.2f}/asset)",
                f"2/asset + constant = {2 * n}+c",
                calls - 2 * n <= 5,
            ),
            row(
                f"up: {n} new assets, wall time (limits on)",
                f"{wall:.1f} s",
                f"{bound:.1f} s (+10% = {bound * 1.1:.1f} s)",
                wall <= bound * 1.1,
            ),
            row("429s that reached the client's retry path", str(limited), "a handful (≤ 5)", limited <= 5),
        ]
        for operation in ("preview", "up"):
            _, counters = stack.timed(operation)
            rows.append(
                row(
                    f"{operation} of the unchanged stack: API calls",
                    str(counters["total"]),
                    "0",
                    counters["total"] == 0,
                )
            )
        wall, counters = stack.timed("refresh")
        rows.append(
            row(
                f"refresh of {n} assets: API calls",
                f"{counters['total']} ({wall:.1f} s)",
                f"≤ {n // 10} (a tenth of one GET each)",
                counters["total"] <= n // 10,
            )
        )
        stack.close()
    return rows


def provider_overhead(root: Path, files: list[Path]) -> list[str]:
    n = len(files)
    with EmulatorProcess(data_dir=root / "unlimited", rate_limit=False) as emulator:
        stack = BenchStack(root, emulator, "unlimited")
        stack.set_spec({"assets": []})
        empty_wall, _ = stack.timed("up")  # engine start-up and an empty program, for reference
        stack.set_spec(asset_spec(files))
        wall, _ = stack.timed("up")
        stack.close()
        direct = _direct_script(emulator, files)
    per_resource = (wall - empty_wall) / n * 1000
    return [
        row(f"up of {n} assets, limits off (empty stack up: {empty_wall:.1f} s)", f"{wall:.1f} s", "", None),
        row(
            "per asset through Pulumi (minus the empty-stack up)",
            f"{per_resource:.1f} ms",
            f"plain sequential client script: {direct / n * 1000:.1f} ms",
            None,
        ),
    ]


def _direct_script(emulator: EmulatorProcess, files: list[Path]) -> float:
    """The same work without Pulumi: upload and upsert by external id, one file after another."""
    with KontentClient(
        emulator.environment_id, emulator.api_key, emulator.base_url, rate_limit=RateLimit(enabled=False)
    ) as client:
        start = time.perf_counter()
        for path in files:
            ref = client.files.upload(path)
            client.assets.upsert(
                f"external-id/direct-{path.stem}",
                AssetUpsert(title=path.stem, file_reference=ref.to_request()),
            )
        return time.perf_counter() - start


def folder_tree_spec(count: int) -> dict[str, Any]:
    """``count`` folders: sqrt-ish top-level folders, the rest spread below them."""
    top = max(1, int(count**0.5))
    folders = [{"key": f"top{i}", "name": f"Top {i}"} for i in range(top)]
    folders += [{"key": f"sub{i}", "name": f"Sub {i}", "parent": f"top{i % top}"} for i in range(count - top)]
    return {"folders": folders}


def folder_patches(root: Path, counts: list[int]) -> list[str]:
    rows = []
    with EmulatorProcess(data_dir=root / "folders", rate_limit=False) as emulator:
        for count in counts:
            emulator.reset()
            stack = BenchStack(root, emulator, f"folders{count}")
            stack.set_spec(folder_tree_spec(count))
            wall, counters = stack.timed("up")
            patches = counters["by_endpoint"].get("PATCH /folders", 0)
            rows.append(
                row(
                    f"up of a tree of {count} folders: PATCH calls",
                    f"{patches} ({wall:.1f} s)",
                    f"grows slower than {count}",
                    None,
                )
            )
            stack.run("destroy")
            stack.close()
    return rows


def main() -> int:
    compile_as_installed()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--assets", type=int, default=200)
    parser.add_argument("--folders", type=int, default=200)
    parser.add_argument(
        "--skip-limited", action="store_true", help="skip the ~1-minute run at the real limits"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kontent-bench-") as tmp:
        root = Path(tmp)
        files = make_files(root / "files", args.assets)
        print(f"path: {bench_path()}", flush=True)
        print("| measure | measured | bound or baseline | |\n| --- | --- | --- | --- |", flush=True)
        sections: list[Callable[[], list[str]]] = (
            [] if args.skip_limited else [lambda: converge_at_limits(root, files)]
        )
        sections += [
            lambda: provider_overhead(root, files),
            lambda: folder_patches(root, [args.folders // 4, args.folders // 2, args.folders]),
        ]
        for section in sections:
            for line in section():
                print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
