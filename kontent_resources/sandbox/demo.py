"""The README's main job: the root stack against a fresh local emulator, then a no-change preview.

Everything lives in temporary folders and the emulator process is stopped at the end, so the run
leaves nothing behind. The same program runs against a real environment once the kontent:* config
keys point at it (README: "Quick start with a real Kontent.ai environment").
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kontent_resources.emulator.server import EmulatorProcess
from kontent_resources.sandbox.project import ProjectRunner
from kontent_resources.sandbox.workspace import HermeticPulumi

REPO_ROOT = Path(__file__).resolve().parents[2]


def _print(line: str) -> None:
    print(line, end="" if line.endswith("\n") else "\n", flush=True)


def main() -> int:
    with EmulatorProcess() as emulator, HermeticPulumi() as sandbox:
        print(f"Emulator (seeded, real rate limits) at {emulator.base_url}\n", flush=True)
        runner = ProjectRunner(REPO_ROOT, sandbox, "dev", isolated=True)
        runner.use_environment(emulator)
        runner.up(on_output=_print)
        print("\nStack outputs:")
        print(json.dumps(runner.outputs(), indent=2, sort_keys=True))
        print("\nPreview of the same program (expecting no changes):", flush=True)
        runner.preview(on_output=_print, expect_no_changes=True)
        calls = emulator.counters()["total"]
        print(f"\nThe emulator answered {calls} API calls in all; stopping it.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
