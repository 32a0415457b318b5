"""The README's main job: up the root stack in a throwaway sandbox, print outputs, preview again."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kontent_resources.sandbox.project import ProjectRunner
from kontent_resources.sandbox.workspace import HermeticPulumi

REPO_ROOT = Path(__file__).resolve().parents[2]


def _print(line: str) -> None:
    print(line, end="" if line.endswith("\n") else "\n", flush=True)


def main() -> int:
    with HermeticPulumi() as sandbox:
        runner = ProjectRunner(REPO_ROOT, sandbox, "dev", isolated=True)
        runner.up(on_output=_print)
        print("\nStack outputs:")
        print(json.dumps(runner.outputs(), indent=2, sort_keys=True))
        print("\nPreview of the same program (expecting no changes):", flush=True)
        runner.preview(on_output=_print, expect_no_changes=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
