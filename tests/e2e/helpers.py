"""Shared helpers of the e2e tests."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

PROGRAMS = Path(__file__).parent / "programs"
# A preview lists the environment's languages once when it declares a new image: the alt-text check
# (docs/alt-text.md) needs them, whatever else fails in that preview.
ALT_TEXT_READ = {"GET /languages": 1}


def reads_at_most_the_languages(counters: dict[str, Any]) -> bool:
    """The emulator's ``counters`` show no call but, at most, the alt-text check's language listing."""
    made = {endpoint: n for endpoint, n in counters["by_endpoint"].items() if n}
    return made in ({}, ALT_TEXT_READ)


def make_project(tmp_path: Path, program: Path, name: str) -> Path:
    """Copy a program into a fresh project folder with its own Pulumi.yaml."""
    project = tmp_path / name
    # The folder may exist already when a test keeps the sandbox's state inside it (.kontent/).
    shutil.copytree(program, project, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
    (project / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
    return project
