"""Shared set-up of the convergence benchmarks: a spec-driven stack against an emulator process."""

from __future__ import annotations

import compileall
import json
import shutil
import time
from pathlib import Path
from typing import Any

from PIL import Image

import kontent_resources
from kontent_resources.client import RateLimit
from kontent_resources.emulator.server import EmulatorProcess
from kontent_resources.sandbox import HermeticPulumi
from kontent_resources.sandbox.project import ProjectRunner

PROGRAM = (
    '"""Benchmark program."""\nfrom kontent_resources._testing.spec import spec_program\n\nspec_program()\n'
)


def compile_as_installed() -> None:
    """Byte-compile the package where it is, as pip does when it installs a wheel, before anything is
    timed: every process a benchmark starts (program, provider, emulator) then loads it as a user's
    install does. From a checkout where the environment sets PYTHONDONTWRITEBYTECODE, each of them
    would otherwise compile every module again, about 0.3 s a process."""
    compileall.compile_dir(Path(kontent_resources.__file__).parent, quiet=1)


def standard_cli() -> str | None:
    """The ``pulumi`` on PATH, when the Python language host is installed beside it: a standard
    install, which the benchmarks drive for their checkpoint-per-step path instead of the sandbox."""
    if shutil.which("pulumi-language-python") is None:
        return None
    return shutil.which("pulumi")


def fastest_allowed(calls: int) -> float:
    """Seconds the documented limits need for ``calls``: 400 per minute window, 10 per second in it."""
    if calls <= 0:
        return 0.0
    limits = RateLimit()  # the documented limits, as the client enforces them
    full_minutes, rest = divmod(calls - 1, limits.per_minute)
    return full_minutes * 60 + rest / limits.per_second


def make_files(folder: Path, count: int) -> list[Path]:
    """Small distinct PNGs (each ~100 bytes), like a library of icons."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"icon-{i:04d}.png"
        Image.new("RGB", (32, 32), (i % 256, (i * 7) % 256, (i * 13) % 256)).save(path)
        paths.append(path)
    return paths


class BenchStack:
    """One stack of the spec program, in a throwaway sandbox, against ``emulator``."""

    def __init__(self, root: Path, emulator: EmulatorProcess, name: str) -> None:
        project = root / "projects" / name
        project.mkdir(parents=True)
        (project / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
        (project / "__main__.py").write_text(PROGRAM)
        self.sandbox = HermeticPulumi(root / "states" / name)
        self.emulator = emulator
        self.runner = ProjectRunner(project, self.sandbox, "bench")
        # The client keeps to the emulator's limits: the real ones, or none when it has none.
        self.runner.use_environment(emulator, client_rate_limit=emulator.get_rate_limit()["enabled"])

    def set_spec(self, spec: dict[str, Any]) -> None:
        self.runner.set_config({"spec": json.dumps(spec)})

    def timed(self, operation: str) -> tuple[float, dict[str, Any]]:
        """Run up/preview/refresh; return wall seconds and the emulator's counters for it alone."""
        self.emulator.reset_counters()
        start = time.perf_counter()
        getattr(self.runner, operation)()
        elapsed = time.perf_counter() - start
        return elapsed, self.emulator.counters()

    def close(self) -> None:
        self.sandbox.close()


def asset_spec(files: list[Path]) -> dict[str, Any]:
    return {"assets": [{"key": f.stem, "source": str(f), "title": f.stem} for f in files]}


def row(label: str, measured: str, bound: str, verdict: bool | None = None) -> str:
    mark = "" if verdict is None else ("ok" if verdict else "MISSED")
    return f"| {label} | {measured} | {bound} | {mark} |"
