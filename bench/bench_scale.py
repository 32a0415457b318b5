"""Scale: an ``AssetDirectory`` of N files converges at the API's ceiling, not the engine's (issue 16).

Run: ``.venv/bin/python bench/bench_scale.py [--sizes 1000,5000] [--limited 1000] [--paths ...]``

For each N in ``--sizes``, against an emulator with its limits off (so only the toolkit and Pulumi
are timed), a project of one ``AssetDirectory`` of N small PNGs in 10 folders goes through the
commands a user runs, each as its own ``python -m kontent_resources.sandbox`` process:
``up --yes --skip-preview``, a no-change ``preview``, ``refresh --yes --skip-preview`` and
``destroy --yes --skip-preview``. Printed for each: wall time, the API calls the emulator counted,
the least time the real limits (10/s, 400/min) allow for those calls, and the peak resident memory
of each process: the program (the sandbox process that runs the Python program), the engine
(the ``pulumi`` CLI) and the dynamic provider. Then, for N in ``--limited``, the same ``up`` and
``destroy`` with the emulator's real limits on, beside that bound.

Both ways the engine keeps the state run the same sizes, rows side by side, each labelled with its
path (``--paths``): ``checkpoints``, a checkpoint after every step as a standard Pulumi install
writes it by default (through the ``pulumi`` on PATH when the Python language host is installed
beside it, else through the sandbox with ``PULUMI_SKIP_CHECKPOINTS=false``: the same engine code
path for state writes; the first lines of the output say which), and ``sandbox``, the state written
once per run (the sandbox's default). ``--program assets`` makes the program N plain ``Asset``s
instead of one ``AssetDirectory``; ``--state-bytes`` prints, after each ``up``, the mean bytes of an
asset's state by part (``pulumi stack export``; an ``AssetSet``'s divided by its members) and the
checkpoint file's size per asset.

Targets (the issue's): with the real limits, within 10% of the bound; with the limits off, ``up``
at most half the bound; no-change preview of 5,000 under 30 s; every process under 1 GB.

``--repairs SETTING;SETTING;...`` (values of ``KONTENT_SDK_REPAIRS``, see kontent_resources/_sdk)
measures, after the ``up`` of each size, the no-change ``preview`` once per setting and round,
``--rounds`` rounds interleaved, and prints each setting's median wall time and CPU time of the
command's process tree; ``--repairs ablation`` compares every repair on (``all``), every repair off
(``off``) and every repair but one (``all,-NAME``), with ``--only-repairs`` to skip the other
commands. For example, the figures of docs/upstream.md:
``bench/bench_scale.py --sizes 1000 --limited '' --repairs ablation --rounds 3 --only-repairs``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _stack import compile_as_installed, fastest_allowed, standard_cli, standard_cli_env

from kontent_resources.emulator.server import EmulatorProcess
from kontent_resources.providers.asset_set import members_of

FOLDERS = 10
GIB = 1024**3
ROLES = ("program", "engine", "provider")

PROGRAM = """\
import pulumi
from kontent_resources import AssetDirectory

library = AssetDirectory("library", pulumi.Config().require("files"))
pulumi.export("assets", library.assets.apply(len))
"""

ONE_RESOURCE_PROGRAM = PROGRAM.replace('require("files"))', 'require("files"), one_resource=True)')

PLAIN_PROGRAM = """\
from pathlib import Path

import pulumi
from kontent_resources import Asset

files = sorted(Path(pulumi.Config().require("files")).rglob("*.png"))
assets = [Asset(f"asset-{i:05d}", source=str(path)) for i, path in enumerate(files)]
pulumi.export("assets", len(assets))
"""


PROGRAMS = {"directory": PROGRAM, "one-resource": ONE_RESOURCE_PROGRAM, "assets": PLAIN_PROGRAM}


def make_library(folder: Path, count: int) -> None:
    """``count`` distinct 32x32 PNGs (~100 bytes each) spread over ``FOLDERS`` folders."""
    for i in range(count):
        sub = folder / f"set-{i % FOLDERS:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        colour = (i % 256, (i // 256) % 256, (i * 7) % 256)
        Image.new("RGB", (32, 32), colour).save(sub / f"icon-{i:05d}.png")


def role_of(process: psutil.Process) -> str | None:
    """Which of the three processes this is, from its command line."""
    try:
        cmdline = process.cmdline()
    except psutil.Error:
        return None
    joined = " ".join(cmdline)
    if "kontent_resources.sandbox" in joined or "pulumi-language-python-exec" in joined:
        return "program"
    if "pulumi.dynamic" in joined or "pulumi-resource-pulumi-python" in joined:
        return "provider"
    if cmdline and Path(cmdline[0]).name == "pulumi":
        return "engine"
    return None


@dataclass
class PeakMemory:
    """Peak resident set size of each process role, polled over the process tree of one command."""

    peaks: dict[str, int] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    """CPU seconds (user + system) of each role's own process, as last polled."""

    def watch(self, root: psutil.Process, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            for process in tree:
                role = role_of(process)
                if role is None:
                    continue
                try:
                    # VmHWM is the kernel's own high-water mark: no spike between polls is missed.
                    status = Path(f"/proc/{process.pid}/status").read_text()
                except OSError:
                    continue
                hwm = next((line for line in status.splitlines() if line.startswith("VmHWM:")), None)
                if hwm is not None:
                    kib = int(hwm.split()[1])
                    self.peaks[role] = max(self.peaks.get(role, 0), kib * 1024)
                try:
                    times = process.cpu_times()
                    self.cpu[role] = max(self.cpu.get(role, 0.0), times.user + times.system)
                except psutil.Error:
                    pass
            stop.wait(0.1)


@dataclass
class Measured:
    seconds: float
    calls: int
    peaks: dict[str, int]
    cpu: float = 0.0
    program_cpu: float = 0.0
    role_cpu: dict[str, float] = field(default_factory=dict)

    def row(self, label: str, *, target: float | None = None) -> str:
        """A table row; the verdict says whether the time target and the 1 GB bound were met."""
        bound = fastest_allowed(self.calls)
        memory = ", ".join(f"{role} {self.peaks.get(role, 0) / 2**20:.0f}" for role in ROLES)
        verdicts = []
        if target is not None:
            verdicts.append(f"≤ {target:.1f} s: " + ("ok" if self.seconds <= target else "MISSED"))
        if max(self.peaks.values(), default=0) >= GIB:
            verdicts.append("memory ≥ 1 GB: MISSED")
        verdict = "; ".join(verdicts)
        by_role = ", ".join(f"{role} {self.role_cpu[role]:.1f}" for role in ROLES if role in self.role_cpu)
        cpu = f"{self.cpu:.1f} s ({by_role})" if by_role else f"{self.cpu:.1f} s"
        return (
            f"| {label} | {self.seconds:.1f} s | {cpu} | {self.calls} | {bound:.1f} s | {memory} "
            f"| {verdict} |"
        )


@dataclass(frozen=True)
class StatePath:
    """How the engine keeps the state: the CLI's default (a checkpoint after every step) or once per run."""

    name: str
    checkpoints: bool

    @property
    def label(self) -> str:
        if not self.checkpoints:
            return "sandbox, state once per run"
        if standard_cli() is not None:
            return "standard CLI (pulumi + language host on PATH), checkpoint per step"
        return "sandbox, PULUMI_SKIP_CHECKPOINTS=false (the standard CLI's engine path): checkpoint per step"


PATHS = {"checkpoints": StatePath("checkpoints", True), "sandbox": StatePath("sandbox", False)}


class ScaleProject:
    """A project folder and kept state, driven through the sandbox CLI as a user would.

    With ``path.checkpoints`` the engine writes a checkpoint after every step, as a standard
    install does by default; through the standard CLI when one is installed (``standard_cli``),
    else through the sandbox with ``PULUMI_SKIP_CHECKPOINTS=false``: the same engine code path.
    """

    def __init__(
        self, root: Path, emulator: EmulatorProcess, files: Path, *, limited: bool,
        path: StatePath = PATHS["sandbox"], program: str = PROGRAM,
    ) -> None:  # fmt: skip
        self.dir = root / "project"
        self.dir.mkdir(parents=True)
        (self.dir / "Pulumi.yaml").write_text("name: scale\nruntime: python\n")
        (self.dir / "__main__.py").write_text(program)
        self.emulator = emulator
        self.path = path
        self.cli = standard_cli() if path.checkpoints else None
        self.env = {
            **os.environ,
            "PULUMI_CONFIG_PASSPHRASE": "bench-only passphrase",
            "KONTENT_API_KEY": emulator.api_key,
            "PULUMI_SKIP_CHECKPOINTS": "false" if path.checkpoints else "true",
        }
        self.env.pop("PULUMI_CONFIG_PASSPHRASE_FILE", None)
        if self.cli is not None:
            self.env.update(standard_cli_env(root))
            self.sandbox("stack", "init", "dev")
        self.sandbox("config", "set", "files", str(files))
        self.sandbox("config", "set", "kontent:environmentId", emulator.environment_id)
        self.sandbox("config", "set", "kontent:baseUrl", emulator.base_url)
        if not limited:
            self.sandbox("config", "set", "kontent:maxRequestsPerSecond", "0")

    def _command(self, *args: str) -> list[str]:
        if self.cli is not None:
            return [self.cli, *args, "--non-interactive", "--cwd", str(self.dir)]
        return [sys.executable, "-m", "kontent_resources.sandbox", "--project", str(self.dir), *args]

    def sandbox(self, *args: str) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(self._command(*args), env=self.env, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
        return proc

    def export(self) -> dict[str, Any]:
        """The stack's deployment, as ``pulumi stack export`` gives it."""
        exported: dict[str, Any] = json.loads(self.sandbox("stack", "export").stdout)
        return dict(exported.get("deployment") or {})

    def checkpoint(self) -> Path | None:
        """The state file the file backend wrote for the stack."""
        found = sorted(self.dir.parent.rglob(".pulumi/stacks/scale/*.json"))
        return found[0] if found else None

    def measure(self, *args: str, repairs: str | None = None) -> Measured:
        """One command; ``repairs`` is the ``KONTENT_SDK_REPAIRS`` it runs with (None: the caller's)."""
        self.emulator.reset_counters()
        log = self.dir / f"{args[0]}.log"
        memory, stop = PeakMemory(), threading.Event()
        env = self.env if repairs is None else {**self.env, "KONTENT_SDK_REPAIRS": repairs}
        start = time.perf_counter()
        with log.open("w") as out:
            proc = subprocess.Popen(self._command(*args), env=env, stdout=out, stderr=subprocess.STDOUT)
            watcher = threading.Thread(target=memory.watch, args=(psutil.Process(proc.pid), stop))
            watcher.start()
            # wait4: the CPU time of the sandbox process and of the engine and provider it waited for
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = code = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        stop.set()
        watcher.join()
        if code != 0:
            raise RuntimeError(f"{' '.join(args)} exited {code}:\n{log.read_text()[-6000:]}")
        cpu = usage.ru_utime + usage.ru_stime
        calls = int(self.emulator.counters()["total"])
        return Measured(seconds, calls, memory.peaks, cpu, memory.cpu.get("program", 0.0), dict(memory.cpu))


PARTS = ("inputs.__provider", "inputs", "outputs.__provider", "outputs._inputs", "outputs",
         "propertyDependencies", "stackTrace+sourcePosition", "other")  # fmt: skip


def _size(value: object) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def state_bytes(deployment: dict[str, Any]) -> dict[str, float]:
    """Mean bytes per asset (compact JSON, key included) of each part of the state of the ``Asset``
    resources, or of the ``AssetSet``s divided by their members when the program has no ``Asset``."""
    every = deployment.get("resources") or []
    resources = [r for r in every if r["type"].endswith(":Asset")]
    assets = len(resources)
    if not resources:
        resources = [r for r in every if r["type"].endswith(":AssetSet")]
        assets = sum(len(members_of(r.get("outputs") or {})) for r in resources)
    totals = dict.fromkeys(PARTS, 0)
    for resource in resources:
        for key, value in resource.items():
            if key in ("inputs", "outputs"):
                for name, prop in value.items():
                    part = f"{key}.{name}" if f"{key}.{name}" in totals else key
                    totals[part] += _size({name: prop}) - 1
                totals[key] += len(key) + 5  # "key":{}, around them
            elif key in ("stackTrace", "sourcePosition"):
                totals["stackTrace+sourcePosition"] += _size({key: value}) - 1
            elif key == "propertyDependencies":
                totals[key] += _size({key: value}) - 1
            else:
                totals["other"] += _size({key: value}) - 1
    count = max(assets, 1)
    return {part: totals[part] / count for part in PARTS} | {"count": assets}


def state_bytes_rows(label: str, deployment: dict[str, Any], checkpoint: Path | None) -> Iterator[str]:
    parts = state_bytes(deployment)
    total = sum(parts[p] for p in PARTS)
    on_disk = ""
    if checkpoint is not None and parts["count"]:
        on_disk = (
            f"; checkpoint file {checkpoint.stat().st_size / parts['count']:.0f} B per asset (as written)"
        )
    yield f"\n{label}: state per asset, mean of {parts['count']:.0f} (compact JSON{on_disk})"
    yield "| part | bytes |\n| --- | --- |"
    for part in PARTS:
        yield f"| {part} | {parts[part]:.0f} |"
    yield f"| total | {total:.0f} |"


HEADER = (
    "| run | wall | CPU, all processes (by process) | API calls | fastest the real limits allow "
    "| peak RSS MiB (program, engine, provider) | target |\n"
    "| --- | --- | --- | --- | --- | --- | --- |"
)


REPAIRS = ("outputs-on-first-use", "stack-traces", "resource-types", "output-drain", "gc-threshold",
           "heap-freeze-at-exit")  # fmt: skip
"""Measured one at a time by ``--repairs ablation`` (``pickler`` is a fix: without it, 1,000+
dynamic resources in one program end in RecursionError)."""


def repair_settings(spec: str) -> list[str]:
    if spec == "ablation":
        return ["all", "off", *(f"all,-{name}" for name in REPAIRS)]
    return [s for s in spec.split(";") if s]


def compare_repairs(project: ScaleProject, count: int, settings: list[str], rounds: int) -> Iterator[str]:
    """The no-change preview under each setting, rounds interleaved; medians, and the gain of each."""
    walls: dict[str, list[float]] = {s: [] for s in settings}
    cpus: dict[str, list[float]] = {s: [] for s in settings}
    program_cpus: dict[str, list[float]] = {s: [] for s in settings}
    for _ in range(rounds):
        for setting in settings:
            run = project.measure("preview", "--expect-no-changes", repairs=setting)
            walls[setting].append(run.seconds)
            cpus[setting].append(run.cpu)
            program_cpus[setting].append(run.program_cpu)
    base = statistics.median(walls[settings[0]])
    base_program = statistics.median(program_cpus[settings[0]])
    yield (
        f"\n| {count}: no-change preview, KONTENT_SDK_REPAIRS= | wall (median of {rounds}) "
        f"| CPU, all processes | CPU, program process | wall, program CPU vs {settings[0]} |"
    )
    yield "| --- | --- | --- | --- | --- |"
    for setting in settings:
        wall, cpu = statistics.median(walls[setting]), statistics.median(cpus[setting])
        program = statistics.median(program_cpus[setting])
        runs = ", ".join(f"{w:.2f}" for w in walls[setting])
        change = f"{100 * (wall - base) / base:+.1f}%, {100 * (program - base_program) / base_program:+.1f}%"
        yield f"| {setting} | {wall:.2f} s ({runs}) | {cpu:.2f} s | {program:.2f} s | {change} |"


@dataclass(frozen=True)
class Options:
    paths: tuple[StatePath, ...] = (PATHS["sandbox"],)
    program: str = PROGRAM
    state_bytes: bool = False
    repairs: list[str] | None = None
    rounds: int = 3
    only_repairs: bool = False
    commands: tuple[str, ...] = ("preview", "refresh", "destroy")


def unlimited(root: Path, count: int, options: Options) -> Iterator[str]:
    """Each command on each path, rows side by side: one emulator and project per path."""
    files = root / f"files-{count}"
    if not files.exists():
        make_library(files, count)
    runs: list[tuple[StatePath, EmulatorProcess, ScaleProject]] = []
    try:
        for path in options.paths:
            emulator = EmulatorProcess(data_dir=root / f"emulator-{count}-{path.name}", rate_limit=False)
            emulator.__enter__()
            project = ScaleProject(
                root / f"unlimited-{count}-{path.name}", emulator, files, limited=False, path=path,
                program=options.program,
            )  # fmt: skip
            runs.append((path, emulator, project))
        for path, _, project in runs:
            up = project.measure("up", "--yes", "--skip-preview")
            yield up.row(f"{count}: up, limits off [{path.label}]", target=fastest_allowed(up.calls) / 2)
        if options.state_bytes:
            for path, _, project in runs:
                yield from state_bytes_rows(f"{count} [{path.label}]", project.export(), project.checkpoint())
            yield ""
        if options.repairs:
            for _, _, project in runs:
                yield from compare_repairs(project, count, options.repairs, options.rounds)
            if options.only_repairs:
                return
        for label, args, target in (
            ("no-change preview", ("preview", "--expect-no-changes"), 30.0 if count >= 5000 else None),
            ("refresh", ("refresh", "--yes", "--skip-preview"), None),
            ("destroy", ("destroy", "--yes", "--skip-preview"), None),
        ):
            if args[0] not in options.commands:
                continue
            for path, _, project in runs:
                yield project.measure(*args).row(f"{count}: {label} [{path.label}]", target=target)
    finally:
        for _, emulator, _ in runs:
            emulator.__exit__(None, None, None)


def limited(root: Path, count: int, options: Options) -> Iterator[str]:
    files = root / f"files-{count}"
    if not files.exists():
        make_library(files, count)
    for path in options.paths:
        with EmulatorProcess(data_dir=root / f"emulator-limited-{count}-{path.name}") as emulator:
            project = ScaleProject(
                root / f"limited-{count}-{path.name}", emulator, files, limited=True, path=path,
                program=options.program,
            )  # fmt: skip
            up = project.measure("up", "--yes", "--skip-preview")
            yield up.row(f"{count}: up, real limits [{path.label}]", target=fastest_allowed(up.calls) * 1.1)
            destroy = project.measure("destroy", "--yes", "--skip-preview")
            yield destroy.row(
                f"{count}: destroy, real limits [{path.label}]", target=fastest_allowed(destroy.calls) * 1.1
            )


def main() -> int:
    compile_as_installed()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,5000", help="N with the limits off (comma-separated)")
    parser.add_argument("--limited", default="1000", help="N with the real limits ('' for none)")
    parser.add_argument(
        "--paths", default="checkpoints,sandbox",
        help="how the engine keeps the state: 'checkpoints' (a checkpoint per step: the standard CLI's "
        "default) and/or 'sandbox' (once per run)",
    )  # fmt: skip
    parser.add_argument(
        "--program", choices=tuple(PROGRAMS), default="directory",
        help="one AssetDirectory of N files in 10 folders (one-resource: its assets as one AssetSet), "
        "or N plain Assets",
    )  # fmt: skip
    parser.add_argument(
        "--state-bytes", action="store_true", help="after each up: the state's bytes per Asset"
    )
    parser.add_argument(
        "--repairs", help="KONTENT_SDK_REPAIRS settings to compare (';'-separated), or 'ablation'"
    )
    parser.add_argument("--rounds", type=int, default=3, help="runs of each --repairs setting")
    parser.add_argument("--only-repairs", action="store_true", help="with --repairs: no other command")
    parser.add_argument(
        "--after-up", default="preview,refresh,destroy", help="the commands after each up ('' for none)"
    )
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",") if n]
    limited_sizes = [int(n) for n in args.limited.split(",") if n]
    options = Options(
        paths=tuple(PATHS[name] for name in args.paths.split(",") if name),
        program=PROGRAMS[args.program],
        state_bytes=args.state_bytes,
        repairs=repair_settings(args.repairs) if args.repairs else None,
        rounds=args.rounds,
        only_repairs=args.only_repairs,
        commands=tuple(c for c in args.after_up.split(",") if c),
    )
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    for path in options.paths:
        print(f"path {path.name}: {path.label}", flush=True)
    with tempfile.TemporaryDirectory(prefix="kontent-scale-") as tmp:
        root = Path(tmp)
        print(HEADER, flush=True)
        for count in sizes:
            for line in unlimited(root, count, options):
                print(line, flush=True)
        for count in limited_sizes:
            for line in limited(root, count, options):
                print(line, flush=True)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
