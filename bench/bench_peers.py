"""Side by side with Kontent.ai's official tools on one emulator, interleaved in one run (issue 37).

Run: ``.venv/bin/python bench/bench_peers.py [--sizes 1000] [--rounds 2] [--limited 200]``

Tools: this project (a program of N plain ``Asset``s, one ``AssetDirectory`` with
``--program directory``, or one ``AssetDirectory(one_resource=True)`` with ``--program
one-resource``) on two paths: the sandbox's default (``python -m kontent_resources.sandbox``), state
written once per run (``PULUMI_SKIP_CHECKPOINTS=true``), and a checkpoint per step, the standard
CLI's default, through the ``pulumi`` on PATH with a file backend when the Python language host is
installed beside it, else through the sandbox with ``PULUMI_SKIP_CHECKPOINTS=false`` (the same
engine code for state writes; only for N up to ``--checkpoints-up-to``, it is slow); its
``kontent-resources import`` for the export);
data-ops 2.6.2 and the migration toolkit 3.2.1 as libraries from ``bench/peers/peers.mjs`` (Node;
installed into tests/clients/node_modules by scripts/install-client-tools.sh; data-ops' CLI cannot
reach a plain-http host, so its restore and backup functions are called with a client on the
emulator's URL, configured as data-ops configures its own).

Tasks, for each N in ``--sizes`` (emulator limits off, clients unpaced), ``--rounds`` rounds with
the tools' order rotated each round:

* upload: N small local PNGs as assets into an empty environment (the emulator is reset before
  each tool). Project: ``up --yes --skip-preview``. data-ops: a backup zip of the N files
  (``assets.json`` + ``assets/<id>-<name>``, made by this script inside the timed span) restored
  with ``include: ["assets"]``: data-ops has no other upload path. Migration toolkit:
  ``importAsync`` of ``{items: [], assets: [N local files]}``.
* re-run, nothing changed, right after each upload: project ``preview --expect-no-changes`` and
  ``up --expect-no-changes``; data-ops restores the same zip again; the toolkit imports again.
* export: an environment of N assets (and N/100 items referencing them: the toolkit exports assets
  through the items that use them) to disk. Project: ``kontent-resources import`` (no Pulumi run:
  its row sits in the sandbox column); data-ops: backup with ``include: ["assets"]``; toolkit:
  ``exportAsync`` of the items + ``storeAsync``.

Then, for each N in ``--limited``, the tasks of ``--limited-tasks`` (default: upload) with the
emulator's real limits on (10/s, 400/min; the project's client keeps to them, the peers ride the
server's 429s), beside the sliding bound of the calls the server accepted (``fastest_allowed``).

Each run is checked: after an upload or re-run the emulator must hold exactly N assets; after an
export the disk must hold N files. A run that fails either way is reported as failed, not timed.
Printed per run: wall time (min / median), API calls the emulator counted (``/_emulator/counters``;
file downloads are not API calls), 429 answers, and the bound. Every project row names its path.
``--endpoints`` prints each run's calls by endpoint as it goes. Before each run the emulator's
rate-limit windows restart and the project gets a fresh ``KONTENT_STATE_DIR`` (its machine-wide
rate-limit ledger), so no run pays for the one before it. A failed run shows as **failed** with the
tool's own message (data-ops' restore is not idempotent: its re-run fails on the existing assets).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _stack import compile_as_installed, fastest_allowed, standard_cli, standard_cli_env
from PIL import Image

from kontent_resources.client import KontentClient, RateLimit
from kontent_resources.emulator.server import EmulatorProcess
from kontent_resources.models.assets import AssetCreate

REPO = Path(__file__).resolve().parents[1]
PEERS_JS = REPO / "bench" / "peers" / "peers.mjs"
NODE_MODULES = REPO / "tests" / "clients" / "node_modules" / "@kontent-ai"
DATA_OPS = "data-ops 2.6.2"
TOOLKIT = "migration toolkit 3.2.1"
PER_ITEM = 100  # assets referenced by each content item of the export environment
TIMEOUT = 3600.0

ASSETS_PROGRAM = """\
from pathlib import Path

import pulumi
from kontent_resources import Asset

files = sorted(Path(pulumi.Config().require("files")).rglob("*.png"))
assets = [Asset(f"asset-{i:05d}", source=str(path)) for i, path in enumerate(files)]
pulumi.export("assets", len(assets))
"""

DIRECTORY_PROGRAM = """\
import pulumi
from kontent_resources import AssetDirectory

library = AssetDirectory("library", pulumi.Config().require("files"))
pulumi.export("assets", library.assets.apply(len))
"""

# The same tree as the members of one AssetSet: what the README recommends for the standard CLI.
ONE_RESOURCE_PROGRAM = DIRECTORY_PROGRAM.replace('require("files"))', 'require("files"), one_resource=True)')
PROGRAMS = {"assets": ASSETS_PROGRAM, "directory": DIRECTORY_PROGRAM, "one-resource": ONE_RESOURCE_PROGRAM}


# -- measurements ---------------------------------------------------------------------------------
@dataclass
class Outcome:
    """One timed run: wall seconds, API calls counted by the emulator, 429 answers, and whether the
    tool succeeded and the work is there (``note`` says why not)."""

    seconds: float
    calls: int
    rate_limited: int
    ok: bool
    note: str = ""
    by_endpoint: dict[str, int] = field(default_factory=dict)


@dataclass
class Results:
    """Outcomes by (task, column, label) in insertion order; a column is a tool (and path), the label
    says which of its commands ran when a cell holds more than one."""

    runs: dict[tuple[str, str, str], list[Outcome]] = field(default_factory=dict)
    endpoints: bool = False
    """Print each run's calls by endpoint too."""

    def add(self, task: str, column: str, outcome: Outcome, label: str = "") -> None:
        self.runs.setdefault((task, column, label), []).append(outcome)
        state = "ok" if outcome.ok else f"FAILED: {outcome.note}"
        print(
            f"  {task} · {column} {label}: {outcome.seconds:.1f} s, {outcome.calls} calls, "
            f"{outcome.rate_limited} answered 429, {state}",
            flush=True,
        )
        if self.endpoints and outcome.by_endpoint:
            calls = sorted(outcome.by_endpoint.items(), key=lambda pair: -pair[1])
            print("    " + ", ".join(f"{endpoint} {n}" for endpoint, n in calls), flush=True)


def run_process(command: list[str], env: dict[str, str], cwd: Path, log: Path) -> tuple[float, int]:
    """Run ``command`` in its own process group; wall seconds and exit status. The group is killed
    if this process is interrupted (KeyboardInterrupt, SIGTERM) or the run exceeds ``TIMEOUT``."""
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            code = proc.wait(timeout=TIMEOUT)
        except BaseException:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
        return time.perf_counter() - start, code


def asset_count(emulator: EmulatorProcess) -> int:
    return int(emulator.state()["counts"]["asset"])


def start_run(emulator: EmulatorProcess, limited: bool) -> None:
    """Counters to zero, rate-limit windows restarted (the real limits when ``limited``)."""
    emulator.set_rate_limit(enabled=limited, per_second=10, per_minute=400)
    emulator.reset_counters()


def outcome(
    emulator: EmulatorProcess, seconds: float, ok: bool, note: str, check: Callable[[], str | None]
) -> Outcome:
    """The counters of one run; ``check`` (run after reading them) returns what is missing, if anything."""
    counters = emulator.counters()
    missing = check() if ok else None
    return Outcome(
        seconds,
        int(counters["total"]),
        int(counters["rate_limited"]),
        ok and not missing,
        note or missing or "",
        dict(counters.get("by_endpoint") or {}),
    )


def expect_assets(emulator: EmulatorProcess, count: int) -> Callable[[], str | None]:
    def check() -> str | None:
        found = asset_count(emulator)
        return None if found == count else f"{found} assets in the environment, expected {count}"

    return check


def tail(log: Path, chars: int = 300) -> str:
    text = log.read_text(errors="replace").strip()
    return " ".join(text[-chars:].split())


# -- this project ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class StatePath:
    name: str
    checkpoints: bool

    @property
    def label(self) -> str:
        if not self.checkpoints:
            return "sandbox default: state once per run"
        if standard_cli() is not None:
            return "standard CLI (pulumi + language host on PATH), file backend: checkpoint per step"
        return "sandbox, PULUMI_SKIP_CHECKPOINTS=false: checkpoint per step"


SANDBOX = StatePath("sandbox", False)
CHECKPOINTS = StatePath("checkpoints", True)


class Project:
    """A fresh project folder and state for one upload (and its re-run), driven as a user does."""

    def __init__(
        self,
        folder: Path,
        emulator: EmulatorProcess,
        files: Path,
        path: StatePath,
        program: str,
        *,
        limited: bool,
    ) -> None:
        folder.mkdir(parents=True)
        (folder / "Pulumi.yaml").write_text("name: peers\nruntime: python\n")
        (folder / "__main__.py").write_text(program)
        self.dir, self.emulator = folder, emulator
        self.env = {
            **os.environ,
            "PULUMI_CONFIG_PASSPHRASE": "bench-only passphrase",
            "KONTENT_API_KEY": emulator.api_key,
            "PULUMI_SKIP_CHECKPOINTS": "false" if path.checkpoints else "true",
        }
        self.env.pop("PULUMI_CONFIG_PASSPHRASE_FILE", None)
        self.cli = standard_cli() if path.checkpoints else None
        if self.cli is not None:
            self.env.update(standard_cli_env(folder.parent))
            self.command("stack", "init", "dev")
        settings = {"files": str(files), "kontent:environmentId": emulator.environment_id}
        settings["kontent:baseUrl"] = emulator.base_url
        if not limited:
            settings["kontent:maxRequestsPerSecond"] = "0"
        for key, value in settings.items():
            self.command("config", "set", key, value)

    def command(self, *args: str) -> tuple[float, int, Path]:
        """``pulumi ARGS`` (the standard CLI) or ``python -m kontent_resources.sandbox ARGS``, with a
        fresh rate-limit ledger."""
        log = self.dir / f"{args[0]}-{time.monotonic_ns()}.log"
        state = Path(tempfile.mkdtemp(prefix="state-", dir=self.dir.parent))
        state.chmod(0o700)
        env = {**self.env, "KONTENT_STATE_DIR": str(state)}
        if self.cli is not None:
            cmd = [self.cli, *args, "--non-interactive", "--cwd", str(self.dir)]
        else:
            cmd = [sys.executable, "-m", "kontent_resources.sandbox", "--project", str(self.dir), *args]
        seconds, code = run_process(cmd, env, self.dir, log)
        if args[0] in ("config", "stack") and code != 0:
            raise RuntimeError(f"{args[0]} failed: {tail(log, 2000)}")
        return seconds, code, log

    def timed(self, count: int, limited: bool, *args: str) -> Outcome:
        start_run(self.emulator, limited)
        seconds, code, log = self.command(*args)
        note = "" if code == 0 else f"exit {code}: {tail(log)}"
        return outcome(self.emulator, seconds, code == 0, note, expect_assets(self.emulator, count))


# -- the official tools ---------------------------------------------------------------------------
def environment(emulator: EmulatorProcess) -> dict[str, str]:
    return {
        "baseUrl": emulator.base_url,
        "environmentId": emulator.environment_id,
        "apiKey": emulator.api_key,
    }


def run_peer(task: str, params: dict[str, Any], cwd: Path) -> tuple[float, bool, str]:
    """One task of ``peers.mjs``: wall seconds, whether it says it succeeded, and its error if not."""
    node = shutil.which("node")
    if node is None:
        raise SystemExit("Node.js 20 is needed: install it, then scripts/install-client-tools.sh")
    log = cwd / f"{task}-{time.monotonic_ns()}.log"
    seconds, code = run_process([node, str(PEERS_JS), task, json.dumps(params)], dict(os.environ), cwd, log)
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.startswith("{")]
    result: dict[str, Any] = json.loads(lines[-1]) if lines else {"ok": False, "error": tail(log)}
    ok = code == 0 and bool(result.get("ok"))
    error = "" if ok else short_error(str(result.get("error") or result.get("errors") or f"exit {code}"))
    return seconds, ok, error


def short_error(error: str) -> str:
    """The most telling message of a tool's error: the longest ``message`` in it (data-ops nests the
    API's answer in its own message, as escaped JSON), else its start."""
    messages = re.findall(r'message\\*":\\*"([^"\\]+)', error)
    return max(messages, key=len) if messages else " ".join(error.split())[:200]


def backup_zip(files: list[Path], zip_path: Path) -> None:
    """A data-ops backup holding only the N files as assets (the layout its assets entity reads)."""
    records = []
    with zipfile.ZipFile(zip_path, "w") as archive:
        for n, path in enumerate(files):
            asset_id = f"00000000-0000-4000-8000-{n:012d}"
            records.append(
                {
                    "id": asset_id,
                    "file_name": path.name,
                    "title": path.stem,
                    "codename": codename_of(path),
                    "type": "image/png",
                    "size": path.stat().st_size,
                    "elements": [],
                    "descriptions": [],
                    "external_id": None,
                    "folder": None,
                    "collection": None,
                }
            )
            archive.write(path, f"assets/{asset_id}-{path.name}")
        archive.writestr("assets.json", json.dumps(records))
        archive.writestr("metadata.json", json.dumps({"version": "2.6.2", "environmentId": "local"}))


def codename_of(path: Path) -> str:
    return "".join(c if c.isalnum() else "_" for c in path.stem.lower())


# -- the environments -----------------------------------------------------------------------------
def make_files(folder: Path, count: int) -> list[Path]:
    """``count`` distinct 32x32 PNGs (~100 bytes each)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"icon-{i:05d}.png"
        Image.new("RGB", (32, 32), (i % 256, (i // 256) % 256, (i * 7) % 256)).save(path)
        paths.append(path)
    return paths


def seed_export_source(emulator: EmulatorProcess, files: list[Path]) -> list[str]:
    """The N files as assets, and items of ``PER_ITEM`` asset references each; the items' codenames."""
    ids = []
    with KontentClient(
        emulator.environment_id, emulator.api_key, emulator.base_url, rate_limit=RateLimit(enabled=False)
    ) as client:
        for path in files:
            reference = client.files.upload(path, file_name=path.name, content_type="image/png")
            created = client.assets.add(
                AssetCreate(
                    file_reference=reference.to_request(), title=path.stem, codename=codename_of(path)
                )
            )
            ids.append(created.id)
    groups = [ids[i : i + PER_ITEM] for i in range(0, len(ids), PER_ITEM)]
    codenames = [f"gallery_{k}" for k in range(len(groups))]
    items = [gallery_item(codename, group) for codename, group in zip(codenames, groups, strict=True)]
    gallery = {
        "codename": "gallery",
        "name": "Gallery",
        "elements": [{"codename": "images", "name": "Images", "type": "asset"}],
    }
    emulator.seed_content({"types": [gallery], "items": items})
    return codenames


def gallery_item(codename: str, asset_ids: list[str]) -> dict[str, Any]:
    images = [{"id": asset_id} for asset_id in asset_ids]
    variants = {"en-US": {"elements": {"images": images}}}
    return {"codename": codename, "name": codename, "type": "gallery", "variants": variants}


# -- the tasks ------------------------------------------------------------------------------------
@dataclass
class Setting:
    """What one size's tasks share: the folder, files, emulators, options."""

    root: Path
    files: list[Path]
    upload_emulator: EmulatorProcess
    export_emulator: EmulatorProcess
    export_items: list[str]
    program: str
    paths: tuple[StatePath, ...]
    limited: bool
    results: Results

    @property
    def count(self) -> int:
        return len(self.files)

    @property
    def limits(self) -> str:
        return "real limits" if self.limited else "limits off"

    def folder(self, name: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.root))


def upload_project(s: Setting, path: StatePath, rerun: bool) -> None:
    emulator = s.upload_emulator
    emulator.reset()
    project = Project(
        s.folder(f"project-{path.name}") / "p",
        emulator,
        s.files[0].parent,
        path,
        s.program,
        limited=s.limited,
    )
    tool = f"this project [{path.label}]"
    up = project.timed(s.count, s.limited, "up", "--yes", "--skip-preview")
    s.results.add(f"upload {s.count} files, {s.limits}", tool, up, "`up`")
    if not rerun or not up.ok:
        return
    for label, args in (
        ("preview", ("preview", "--expect-no-changes")),
        ("up", ("up", "--yes", "--skip-preview", "--expect-no-changes")),
    ):
        rerun_outcome = project.timed(s.count, s.limited, *args)
        s.results.add(f"re-run, nothing changed, {s.count}, {s.limits}", tool, rerun_outcome, f"`{label}`")


def timed_peer(
    s: Setting,
    emulator: EmulatorProcess,
    task: str,
    params: dict[str, Any],
    cwd: Path,
    check: Callable[[], str | None],
    before: Callable[[], None] | None = None,
) -> Outcome:
    start_run(emulator, s.limited)
    start = time.perf_counter()
    if before is not None:
        before()
    node_seconds, ok, error = run_peer(task, params, cwd)
    seconds = time.perf_counter() - start if before is not None else node_seconds
    return outcome(emulator, seconds, ok, error, check)


def upload_data_ops(s: Setting, rerun: bool) -> None:
    emulator = s.upload_emulator
    emulator.reset()
    cwd = s.folder("data-ops")
    zip_path = cwd / "backup.zip"
    params = {"env": environment(emulator), "zip": str(zip_path)}
    check = expect_assets(emulator, s.count)
    first = timed_peer(
        s, emulator, "dataops-restore", params, cwd, check, lambda: backup_zip(s.files, zip_path)
    )
    s.results.add(
        f"upload {s.count} files, {s.limits}", DATA_OPS, first, "restore of a backup zip of the files"
    )
    if rerun and first.ok:
        again = timed_peer(s, emulator, "dataops-restore", params, cwd, check)
        s.results.add(f"re-run, nothing changed, {s.count}, {s.limits}", DATA_OPS, again, "restore again")


def upload_toolkit(s: Setting, rerun: bool) -> None:
    emulator = s.upload_emulator
    emulator.reset()
    cwd = s.folder("toolkit")
    params = {"env": environment(emulator), "files": [str(f) for f in s.files]}
    check = expect_assets(emulator, s.count)
    first = timed_peer(s, emulator, "mt-upload", params, cwd, check)
    s.results.add(f"upload {s.count} files, {s.limits}", TOOLKIT, first, "importAsync")
    if rerun and first.ok:
        again = timed_peer(s, emulator, "mt-upload", params, cwd, check)
        s.results.add(f"re-run, nothing changed, {s.count}, {s.limits}", TOOLKIT, again, "importAsync again")


def files_on_disk(folder: Path, count: int) -> Callable[[], str | None]:
    def check() -> str | None:
        found = sum(1 for p in (folder / "files").rglob("*") if p.is_file() and p.suffix != ".part")
        return None if found == count else f"{found} files on disk, expected {count}"

    return check


def files_in_zip(zip_path: Path, prefix: str, count: int) -> Callable[[], str | None]:
    def check() -> str | None:
        with zipfile.ZipFile(zip_path) as archive:
            found = sum(1 for n in archive.namelist() if n.startswith(prefix) and not n.endswith("/"))
        return None if found == count else f"{found} files in the zip, expected {count}"

    return check


def export_project(s: Setting) -> None:
    emulator = s.export_emulator
    target = s.folder("import") / "out"
    state = s.folder("import-state")
    state.chmod(0o700)
    env = {
        **os.environ,
        "KONTENT_MAX_REQUESTS_PER_SECOND": "10" if s.limited else "0",
        "KONTENT_ENVIRONMENT_ID": emulator.environment_id,
        "KONTENT_API_KEY": emulator.api_key,
        "KONTENT_BASE_URL": emulator.base_url,
        "KONTENT_STATE_DIR": str(state),
    }
    start_run(emulator, s.limited)
    command = [sys.executable, "-m", "kontent_resources", "import", str(target)]
    seconds, code = run_process(command, env, target.parent, target.parent / "import.log")
    note = "" if code == 0 else f"exit {code}: {tail(target.parent / 'import.log')}"
    result = outcome(emulator, seconds, code == 0, note, files_on_disk(target, s.count))
    tool = f"this project [{SANDBOX.label}]"
    s.results.add(f"export {s.count} assets to disk, {s.limits}", tool, result, "`kontent-resources import`")


def export_data_ops(s: Setting) -> None:
    emulator, cwd = s.export_emulator, s.folder("backup")
    zip_path = cwd / "backup.zip"
    params = {"env": environment(emulator), "zip": str(zip_path)}
    result = timed_peer(
        s, emulator, "dataops-backup", params, cwd, files_in_zip(zip_path, "assets/", s.count)
    )
    s.results.add(f"export {s.count} assets to disk, {s.limits}", DATA_OPS, result, "backup")


def export_toolkit(s: Setting) -> None:
    emulator, cwd = s.export_emulator, s.folder("export")
    zip_path = cwd / "export.zip"
    params = {
        "env": environment(emulator),
        "items": s.export_items,
        "language": "en-US",
        "zip": zip_path.name,
    }
    check = files_in_zip(zip_path, "binary_data/", s.count)
    result = timed_peer(s, emulator, "mt-export", params, cwd, check)
    s.results.add(f"export {s.count} assets to disk, {s.limits}", TOOLKIT, result, "exportAsync + storeAsync")


def upload_tasks(s: Setting, rerun: bool) -> list[Callable[[], None]]:
    tasks = [functools.partial(upload_project, s, path, rerun) for path in s.paths]
    return [*tasks, functools.partial(upload_data_ops, s, rerun), functools.partial(upload_toolkit, s, rerun)]


def export_tasks(s: Setting) -> list[Callable[[], None]]:
    return [lambda: export_project(s), lambda: export_data_ops(s), lambda: export_toolkit(s)]


def warm_up(s: Setting) -> None:
    """One untimed ``preview`` of an empty project, so no timed run pays the first start's caches."""
    empty = s.folder("no-files")
    project = Project(s.folder("warm-up") / "p", s.upload_emulator, empty, SANDBOX, s.program, limited=False)
    seconds, code, _ = project.command("preview")
    print(f"warm-up: sandbox preview of an empty project, {seconds:.1f} s (exit {code})", flush=True)


def run_rounds(s: Setting, rounds: int, kinds: tuple[str, ...]) -> None:
    """Every task of ``kinds`` once per round; the tools' order rotated each round."""
    for round_number in range(rounds):
        print(f"round {round_number + 1}/{rounds}, N={s.count}, {s.limits}", flush=True)
        if "upload" in kinds:
            tasks = upload_tasks(s, "rerun" in kinds)
            for task in rotated(tasks, round_number):
                task()
        if "export" in kinds:
            for task in rotated(export_tasks(s), round_number):
                task()


def rotated(tasks: list[Callable[[], None]], by: int) -> list[Callable[[], None]]:
    shift = by % len(tasks)
    return tasks[shift:] + tasks[:shift]


# -- the table ------------------------------------------------------------------------------------
def summary(runs: list[Outcome], limited: bool) -> str:
    """``min / median`` of the successful runs, calls, 429s, and at the real limits the bound."""
    good = [r for r in runs if r.ok]
    failed = [r for r in runs if not r.ok]
    if not good:
        return f"**failed** ({len(failed)}/{len(runs)}): {failed[0].note}"
    times = [r.seconds for r in good]
    calls = int(statistics.median(r.calls for r in good))
    text = f"{min(times):.1f} / {statistics.median(times):.1f} s, {calls} calls"
    rate_limited = int(statistics.median(r.rate_limited for r in good))
    if limited:
        bound = fastest_allowed(calls - rate_limited)
        ratio = f", {statistics.median(times) / bound:.2f}x the bound" if bound else ""
        text += f", {rate_limited} answered 429, bound {bound:.1f} s{ratio}"
    if failed:
        text += f"; failed {len(failed)}/{len(runs)}: {failed[0].note}"
    return text


def table(results: Results) -> Iterator[str]:
    """Every run: one row per task, tool (with its path) and command."""
    yield "\n| task | tool [path] | command | min / median, API calls | runs ok |"
    yield "| --- | --- | --- | --- | --- |"
    for (task, column, label), runs in results.runs.items():
        ok = sum(r.ok for r in runs)
        yield f"| {task} | {column} | {label} | {summary(runs, 'real limits' in task)} | {ok}/{len(runs)} |"


def matrix(results: Results) -> Iterator[str]:
    """The issue's table: a row per task, a column per tool and path."""
    columns = list(dict.fromkeys(column for _, column, _ in results.runs))
    tasks = list(dict.fromkeys(task for task, _, _ in results.runs))
    yield f"\n| task | {' | '.join(columns)} |"
    yield "| --- |" + " --- |" * len(columns)
    for task in tasks:
        cells = [
            "; ".join(
                f"{label} {summary(runs, 'real limits' in task)}"
                for (t, c, label), runs in results.runs.items()
                if t == task and c == column
            )
            for column in columns
        ]
        yield f"| {task} | {' | '.join(cells)} |"


# -- main -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Options:
    sizes: list[int]
    limited: list[int]
    rounds: int
    program: str
    checkpoints_up_to: int
    limited_tasks: tuple[str, ...]
    endpoints: bool


def paths_for(count: int, options: Options) -> tuple[StatePath, ...]:
    return (SANDBOX, CHECKPOINTS) if count <= options.checkpoints_up_to else (SANDBOX,)


def bench_size(root: Path, count: int, limited: bool, options: Options, results: Results) -> None:
    """One emulator for the uploads (an empty environment, reset before each) and one holding N
    assets for the exports, both started here and stopped on the way out, whatever happens."""
    folder = Path(tempfile.mkdtemp(prefix=f"n{count}-", dir=root))
    files = make_files(folder / "files", count)
    with ExitStack() as stack:
        upload = stack.enter_context(
            EmulatorProcess(data_dir=folder / "upload-emulator", seed=False, rate_limit=False)
        )
        kinds = ("upload", "rerun", "export") if not limited else options.limited_tasks
        export, items = upload, []
        if "export" in kinds:
            export = stack.enter_context(
                EmulatorProcess(data_dir=folder / "export-emulator", rate_limit=False)
            )
            items = seed_export_source(export, files)
        setting = Setting(
            folder, files, upload, export, items, options.program, paths_for(count, options), limited, results
        )
        warm_up(setting)
        run_rounds(setting, options.rounds, kinds)


def check_tools() -> None:
    for package in ("data-ops", "migration-toolkit"):
        if not (NODE_MODULES / package).is_dir():
            raise SystemExit(f"{NODE_MODULES / package} is missing: run scripts/install-client-tools.sh")
    if shutil.which("node") is None:
        raise SystemExit("Node.js 20 is needed: install it, then scripts/install-client-tools.sh")


def terminate(signum: int, frame: FrameType | None) -> None:
    """SIGTERM as an exit: the ``with`` blocks stop the emulators and the running tool's group."""
    raise SystemExit(128 + signum)


def parse() -> Options:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="1000", help="N with the limits off (comma-separated; '' for none)"
    )
    parser.add_argument("--limited", default="200", help="N with the emulator's real limits ('' for none)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each task and tool, interleaved")
    parser.add_argument(
        "--program",
        choices=tuple(PROGRAMS),
        default="assets",
        help="N plain Assets, one AssetDirectory, or one AssetDirectory(one_resource=True)",
    )
    parser.add_argument(
        "--checkpoints-up-to",
        type=int,
        default=1000,
        help="run the checkpoint-per-step path only for N up to this (it is slow)",
    )
    parser.add_argument(
        "--limited-tasks",
        default="upload",
        help="tasks at the real limits: upload, rerun (with upload), export",
    )
    parser.add_argument("--endpoints", action="store_true", help="print each run's calls by endpoint")
    args = parser.parse_args()
    return Options(
        sizes=[int(n) for n in args.sizes.split(",") if n],
        limited=[int(n) for n in args.limited.split(",") if n],
        rounds=args.rounds,
        program=PROGRAMS[args.program],
        checkpoints_up_to=args.checkpoints_up_to,
        limited_tasks=tuple(t for t in args.limited_tasks.split(",") if t),
        endpoints=args.endpoints,
    )


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    compile_as_installed()
    options = parse()
    check_tools()
    signal.signal(signal.SIGTERM, terminate)
    results = Results(endpoints=options.endpoints)
    print(f"load average at start: {load()}; {os.cpu_count()} CPUs", flush=True)
    try:
        with tempfile.TemporaryDirectory(prefix="kontent-peers-") as tmp:
            for count in options.sizes:
                bench_size(Path(tmp), count, False, options, results)
            for count in options.limited:
                bench_size(Path(tmp), count, True, options, results)
    finally:
        if results.runs:
            for line in (*table(results), *matrix(results)):
                print(line, flush=True)
        print(f"\nload average at end: {load()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
