"""Shared helpers of the e2e tests."""

from __future__ import annotations

import shutil
from pathlib import Path

PROGRAMS = Path(__file__).parent / "programs"


def make_project(tmp_path: Path, program: Path, name: str) -> Path:
    """Copy a program into a fresh project folder with its own Pulumi.yaml."""
    project = tmp_path / name
    # The folder may exist already when a test keeps the sandbox's state inside it (.kontent/).
    shutil.copytree(program, project, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
    (project / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
    return project
