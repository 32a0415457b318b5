"""``pulumi up`` killed with SIGKILL at the API's real rate limits, then the documented recovery.

A red team found here, before the upload journal: 80 assets and no duplicate, but files that no
asset references, which the API can neither list nor delete (25-26 of 105-106 stored files in
this test, once per asset the killed run had made: the recovery's `up` adopted each of them with
a new upload). Now every create retried by the recovery reuses the file its killed attempt
uploaded (``client/upload_journal.py``).

What stays possible, and is bounded here: an upload the API stored whose answer never reached the
killed process. Nothing can learn that file's id (no listing, no idempotency key), so it stays
unreferenced. At most one upload per provider call is in flight, and the engine makes at most
``PROVIDER_CONCURRENCY`` (4) calls at once: so at most 4 per kill (0 in the runs recorded in
docs/reliability.md).

The kill is made three ways: the engine alone (the provider is in a process group of its own, so
only its watchdog ends it), the command the user ran (``python -m kontent_resources.sandbox up``),
and the command's whole process group (a terminal's or a CI runner's kill). In every case no
request of the killed run reaches the API later than a moment after the kill.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.providers.folder_batch import PROVIDER_CONCURRENCY
from kontent_resources.sandbox import HermeticPulumi
from tests.e2e.kontent_stack import KontentStack, no_changes
from tests.reliability.helpers import Inventory, asset_spec, small_files, uploads, wait_until
from tests.reliability.test_engine_killed import _alive, _descendants, _name, _start_up, run_readme_recovery

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ASSETS = 80
# Requests already on the wire when the process died are applied by the API all the same; after
# this long, any request would be one the killed run started later.
SETTLE_SECONDS = 2.0
WATCH_SECONDS = 12.0


@pytest.fixture
def limited_emulator(tmp_path: Path) -> Iterator[EmulatorServer]:
    """The API's own limits: 10 requests/s and 400/min per environment."""
    with EmulatorServer(data_dir=tmp_path / "emulator", rate_limit=True) as server:
        yield server


@pytest.fixture
def project_stack(
    engine_bin: Path, limited_emulator: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[KontentStack]:
    """A project folder as the documentation's user has it, deploying at the real limits."""
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("kill-test-passphrase")
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE_FILE", str(passphrase))
    monkeypatch.setenv("KONTENT_STATE_DIR", str(tmp_path / "user-state"))  # this user's journal
    sandbox = HermeticPulumi(tmp_path / "spec-stack" / ".kontent", keep=True)
    stack = KontentStack(sandbox, limited_emulator, tmp_path)
    stack.runner.use_environment(limited_emulator)  # with the provider's own limiter, as users run it
    (stack.runner.work_dir / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    yield stack
    stack.close()
    sandbox.close()


def _kill(victim: str, proc: subprocess.Popen[bytes], processes: list[psutil.Process]) -> None:
    if victim == "engine":
        [engine] = [p for p in processes if _name(p) == "pulumi"]
        engine.send_signal(signal.SIGKILL)
    elif victim == "group":
        os.killpg(proc.pid, signal.SIGKILL)
    else:
        os.kill(proc.pid, signal.SIGKILL)


def _requests_over_time(emulator: EmulatorServer) -> list[tuple[float, int]]:
    """(seconds since the kill, requests the API has answered so far), every half second."""
    samples = []
    start = time.monotonic()
    while (elapsed := time.monotonic() - start) < WATCH_SECONDS:
        samples.append((round(elapsed, 1), int(emulator.counters()["total"])))
        time.sleep(0.5)
    return samples


@pytest.mark.timeout(900)
@pytest.mark.parametrize("victim", ["engine", "command", "group"])
def test_killed_up_at_real_limits_leaves_no_orphan_and_nothing_running(
    project_stack: KontentStack, limited_emulator: EmulatorServer, tmp_path: Path, victim: str
) -> None:
    stack, emulator = project_stack, limited_emulator
    stack.runner.set_config({"spec": json.dumps(asset_spec(small_files(tmp_path / "files", ASSETS)))})
    proc = _start_up(stack, tmp_path / "up.log")
    everything: list[psutil.Process] = []
    try:

        def a_quarter_exists() -> bool:
            everything.extend(p for p in _descendants(proc) if p not in everything)
            if proc.poll() is not None:
                raise AssertionError((tmp_path / "up.log").read_text(errors="replace")[-3000:])
            return int(emulator.state()["counts"]["asset"]) >= ASSETS // 4

        wait_until(a_quarter_exists, timeout=300, interval=0.2, what="the first assets of the up")
        _kill(victim, proc, everything)
        at_kill = int(emulator.state()["counts"]["asset"])
        samples = _requests_over_time(emulator)
        survivors = _alive(everything)
    finally:
        for p in everything:  # only what this test started, by pid
            if p.is_running():
                p.kill()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    late = [(t, n) for t, n in samples if t >= SETTLE_SECONDS and n != samples[-1][1]]
    print(f"\n{victim} killed with {at_kill} assets made; requests answered after the kill: {samples}")
    assert survivors == [], "nothing of the killed up keeps running"
    assert late == [], f"requests reached the API more than {SETTLE_SECONDS} s after the kill"
    assert int(emulator.state()["counts"]["asset"]) < ASSETS, "killed in the middle"

    run_readme_recovery(stack.runner.work_dir, timeout=600)

    inventory = Inventory.of(stack.client)
    state = emulator.state()
    print(
        f"after the recovery: {len(inventory.assets)} assets, {state['counts']['file']} files stored, "
        f"{state['unreferenced_files']} referenced by no asset; {uploads(emulator.counters())} upload "
        "requests (429s included)"
    )
    assert len(inventory.assets) == ASSETS
    assert inventory.duplicates() == {"external_id": [], "title": []}
    assert state["unreferenced_files"] <= PROVIDER_CONCURRENCY, "only uploads whose answer the kill cut off"
    assert no_changes(stack.preview())
