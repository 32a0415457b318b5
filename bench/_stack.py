"""Shared set-up of the convergence benchmarks: a spec-driven stack against an emulator process."""

from __future__ import annotations

import compileall
import json
import os
import shutil
import subprocess
import sys
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


def standard_cli_env(root: Path) -> dict[str, str]:
    """What the standard CLI needs beside the caller's environment: a file backend and a Pulumi
    home of its own under ``root``, no update check, and this interpreter for the program."""
    backend = root / "backend"
    backend.mkdir(parents=True)
    return {
        "PULUMI_BACKEND_URL": backend.as_uri(),
        "PULUMI_HOME": str(root / "pulumi-home"),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_PYTHON_CMD": sys.executable,
    }


def bench_path() -> str:
    """The path ``BenchStack`` runs, for the figures."""
    if standard_cli() is None:
        return "sandbox (state once per run unless PULUMI_SKIP_CHECKPOINTS=false)"
    return "standard CLI (pulumi + language host on PATH, file backend, checkpoint per step)"


class BenchStack:
    """One stack of the spec program against ``emulator``: through the standard CLI (``pulumi`` with
    a file backend, a checkpoint per step) when one is installed (``standard_cli``), else in a
    throwaway sandbox (``bench_path`` says which, for the figures)."""

    def __init__(self, root: Path, emulator: EmulatorProcess, name: str) -> None:
        project = root / "projects" / name
        project.mkdir(parents=True)
        (project / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
        (project / "__main__.py").write_text(PROGRAM)
        self.emulator, self.project, self.cli = emulator, project, standard_cli()
        # The client keeps to the emulator's limits: the real ones, or none when it has none.
        limited = emulator.get_rate_limit()["enabled"]
        if self.cli is None:
            self.sandbox = HermeticPulumi(root / "states" / name)
            self.runner = ProjectRunner(project, self.sandbox, "bench")
            self.runner.use_environment(emulator, client_rate_limit=limited)
            return
        self.env = {
            **os.environ,
            **standard_cli_env(root / "states" / name),
            "PULUMI_CONFIG_PASSPHRASE": "bench-only passphrase",
            "KONTENT_API_KEY": emulator.api_key,
        }
        self.env.pop("PULUMI_CONFIG_PASSPHRASE_FILE", None)
        self.env.pop("PULUMI_SKIP_CHECKPOINTS", None)  # the CLI's default: a checkpoint per step
        self._cli("stack", "init", "bench")
        self._cli("config", "set", "kontent:environmentId", emulator.environment_id)
        self._cli("config", "set", "kontent:baseUrl", emulator.base_url)
        if not limited:
            self._cli("config", "set", "kontent:maxRequestsPerSecond", "0")

    def _cli(self, *args: str) -> None:
        assert self.cli is not None
        done = subprocess.run(
            [self.cli, *args, "--non-interactive", "--cwd", str(self.project)],
            env=self.env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(
                f"pulumi {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            )

    def set_spec(self, spec: dict[str, Any]) -> None:
        if self.cli is None:
            self.runner.set_config({"spec": json.dumps(spec)})
        else:
            self._cli("config", "set", "spec", json.dumps(spec))

    def run(self, operation: str) -> None:
        """``up``, ``preview``, ``refresh`` or ``destroy``, as a user runs it."""
        if self.cli is None:
            getattr(self.runner, operation)()
        else:
            self._cli(operation, *(() if operation == "preview" else ("--yes", "--skip-preview")))

    def timed(self, operation: str) -> tuple[float, dict[str, Any]]:
        """Run up/preview/refresh; return wall seconds and the emulator's counters for it alone."""
        self.emulator.reset_counters()
        start = time.perf_counter()
        self.run(operation)
        elapsed = time.perf_counter() - start
        return elapsed, self.emulator.counters()

    def close(self) -> None:
        if self.cli is None:
            self.sandbox.close()


def asset_spec(files: list[Path]) -> dict[str, Any]:
    return {"assets": [{"key": f.stem, "source": str(f), "title": f.stem} for f in files]}


def row(label: str, measured: str, bound: str, verdict: bool | None = None) -> str:
    mark = "" if verdict is None else ("ok" if verdict else "MISSED")
    return f"| {label} | {measured} | {bound} | {mark} |"
