"""Parallel stacks at the bound: two or more stacks deploy into one environment at once (issue 37).

Run: ``.venv/bin/python bench/bench_parallel.py [--stacks 2] [--assets 40,200] [--machines one,two]
[--rounds 2]``

Against one emulator with the API's real limits (10/s, 400/min, sliding), ``--stacks`` projects of
``--assets`` plain ``Asset``s each (distinct files, so every stack uploads its own) run
``up --yes --skip-preview`` at the same moment, each as its own ``python -m kontent_resources.sandbox``
process on this machine. ``--machines`` says how they meet:

* ``one``: as on one machine, they share the budget through the per-user ledger
  (``kontent_resources/client/ratelimit.py``; one fresh ``KONTENT_STATE_DIR`` for all the stacks of a
  round, so no earlier run's records weigh on it);
* ``two``: as from different machines, each stack has a ``KONTENT_STATE_DIR`` (and
  ``XDG_RUNTIME_DIR``) of its own, so no ledger is shared: each client spends the whole budget as
  if alone, and they meet only at the server, through its 429s and ``Retry-After``.

Printed: the wall time from the common start to the last stack's end, the calls the emulator
admitted for all of them, the least time the real limits allow for those calls (the bound), the
ratio (target: within 30%), the time from the first API call to the last (polled every 0.1 s: what
the limiters decide, without the processes' start-up, which is the engine's) and its ratio, the
429s the emulator answered, each stack's own time, and the stacks that failed (with their log's
end). ``--checkpoints`` runs them with a checkpoint per step (the standard CLI's default), through
the ``pulumi`` on PATH when the Python language host is installed beside it (``bench_scale.ScaleProject``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _stack import compile_as_installed, fastest_allowed
from bench_scale import PATHS, PLAIN_PROGRAM, ScaleProject

from kontent_resources.emulator.server import EmulatorProcess


def make_files(folder: Path, count: int, stack: int) -> None:
    """``count`` distinct small PNGs, distinct from every other stack's too."""
    from PIL import Image

    folder.mkdir(parents=True)
    for i in range(count):
        Image.new("RGB", (32, 32), (stack * 40 % 256, i % 256, (i * 7) % 256)).save(
            folder / f"s{stack}-{i:04d}.png"
        )


def private_dir(path: Path) -> Path:
    path.mkdir(parents=True)
    path.chmod(0o700)
    return path


def machine_env(root: Path, machines: str, stack: int) -> dict[str, str]:
    """Where a stack's client keeps its rate-limit ledger: one folder for all, or one per stack."""
    if machines == "one":
        return {"KONTENT_STATE_DIR": str(root / "machine-0" / "state")}
    machine = root / f"machine-{stack}"
    return {"KONTENT_STATE_DIR": str(machine / "state"), "XDG_RUNTIME_DIR": str(machine / "run")}


def one_round(root: Path, stacks: int, assets: int, checkpoints: bool, machines: str) -> str:
    path = PATHS["checkpoints" if checkpoints else "sandbox"]
    for s in range(stacks if machines == "two" else 1):
        private_dir(root / f"machine-{s}" / "state")
        private_dir(root / f"machine-{s}" / "run")
    with EmulatorProcess(data_dir=root / "emulator") as emulator:
        projects = []
        for s in range(stacks):
            files = root / f"files-{s}"
            make_files(files, assets, s)
            project = ScaleProject(
                root / f"stack-{s}", emulator, files, limited=True, path=path, program=PLAIN_PROGRAM
            )
            project.env.update(machine_env(root, machines, s))
            projects.append(project)
        emulator.reset_counters()
        start = time.perf_counter()
        logs = [(p.dir / "up.log").open("w") for p in projects]
        procs = [
            subprocess.Popen(
                p._command("up", "--yes", "--skip-preview"), env=p.env, stdout=log, stderr=subprocess.STDOUT
            )
            for p, log in zip(projects, logs, strict=True)
        ]
        ends: list[float] = [0.0] * stacks
        pending = set(range(stacks))
        first_call = last_call = None
        seen = 0
        while pending:
            for i in list(pending):
                if procs[i].poll() is not None:
                    ends[i] = time.perf_counter() - start
                    pending.discard(i)
            total = int(emulator.counters()["total"])
            if total > seen:  # the span of the API calls, to within this poll's period
                now = time.perf_counter() - start
                first_call = now if first_call is None else first_call
                last_call, seen = now, total
            time.sleep(0.1)
        wall = max(ends)
        for log in logs:
            log.close()
        failed = [i for i, proc in enumerate(procs) if proc.returncode != 0]
        counters = emulator.counters()
        limited = int(counters.get("rate_limited", 0))
        calls = int(counters["total"]) - limited  # the admitted ones: a 429 is not a call made
        bound = fastest_allowed(calls)
        span = (last_call or 0.0) - (first_call or 0.0)
        per_stack = ", ".join(f"{t:.1f} s" for t in ends)
        verdict = "ok" if wall <= bound * 1.3 and not failed else "MISSED"
        failures = f"stacks failed: {failed}" if failed else "no failed stack"
        for i in failed:
            print((projects[i].dir / "up.log").read_text()[-3000:], file=sys.stderr)
        where = "one machine, shared ledger" if machines == "one" else f"{stacks} machines, no shared ledger"
        return (
            f"| {stacks} stacks of {assets} assets, {where} [{path.label}] | {wall:.1f} s | {calls} "
            f"| {bound:.1f} s "
            f"| {wall / bound:.2f} ({verdict}) | {span:.1f} s, {span / bound:.2f} | {limited} | {per_stack} "
            f"| {failures} |"
        )


def main() -> int:
    compile_as_installed()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stacks", type=int, default=2)
    parser.add_argument("--assets", default="40", help="assets per stack; a comma-separated list for several")
    parser.add_argument(
        "--machines", default="one", help="'one' (a shared ledger), 'two' (none shared), or 'one,two'"
    )
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--checkpoints", action="store_true", help="a checkpoint per step (standard CLI default)"
    )
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    print(
        "| run | wall, common start to last end | API calls admitted | fastest the real limits allow "
        "| ratio (≤ 1.30) | first to last API call, ratio | 429s | each stack | failures |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        flush=True,
    )
    sizes = [int(n) for n in args.assets.split(",") if n]
    kinds = [m for m in args.machines.split(",") if m]
    if any(m not in ("one", "two") for m in kinds):
        parser.error("--machines takes 'one', 'two' or both")
    for _ in range(args.rounds):
        for assets in sizes:
            for machines in kinds:
                with tempfile.TemporaryDirectory(prefix="kontent-parallel-") as tmp:
                    row = one_round(Path(tmp), args.stacks, assets, args.checkpoints, machines)
                    print(row, flush=True)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
