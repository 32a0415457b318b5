"""Issue 7.3: ``pulumi up`` killed with SIGKILL while it creates 50 assets; the next ``up`` converges."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from pulumi import automation as auto

from tests.e2e.kontent_stack import KontentStack, no_changes
from tests.reliability.helpers import Inventory, asset_spec, small_files, state_ids, uploads, wait_until
from tests.reliability.proxy import Proxy, Rule

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ASSETS = 50


def _start_up(stack: KontentStack, log: Path) -> subprocess.Popen[bytes]:
    """``python -m kontent_resources.sandbox … up`` in its own session, as a user would run it."""
    command = [
        sys.executable,
        "-m",
        "kontent_resources.sandbox",
        "--project",
        str(stack.runner.work_dir),
        "--state-dir",
        str(stack.runner.sandbox.root),
        "--stack",
        "test",
        "up",
    ]
    with log.open("wb") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _descendants(proc: subprocess.Popen[bytes]) -> list[psutil.Process]:
    """The up's process tree; short-lived children may vanish while it is walked."""
    for _ in range(5):
        try:
            return psutil.Process(proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            continue
    return []


def _name(process: psutil.Process) -> str:
    try:
        return process.name()
    except psutil.NoSuchProcess:
        return ""


def _alive(processes: list[psutil.Process]) -> list[str]:
    alive = []
    for p in processes:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                alive.append(f"{p.pid} {' '.join(p.cmdline()[:3])}")
        except psutil.NoSuchProcess:
            pass
    return alive


def _pending_operations(stack: KontentStack) -> list[dict[str, object]]:
    pending: list[dict[str, object]] = stack.runner.export_state().get("pending_operations") or []
    return pending


@pytest.mark.timeout(240)
def test_up_killed_mid_create_then_next_up_converges(
    stack: KontentStack, proxy: Proxy, tmp_path: Path
) -> None:
    spec = asset_spec(small_files(tmp_path / "files", ASSETS))
    stack.runner.set_config({"spec": json.dumps(spec)})
    emulator = stack.emulator
    # Each asset PUT is applied at once but answered 1.5 s later: the run is slow enough to be
    # caught in the middle, and the kill lands while applied creates wait for their answer.
    proxy.add(Rule(r"^PUT .*/assets/external-id/", "delay_response", seconds=1.5))
    stack.runner.set_config({"kontent:baseUrl": proxy.base_url})

    proc = _start_up(stack, tmp_path / "up.log")
    engines: list[psutil.Process] = []
    everything: list[psutil.Process] = []
    try:

        def some_assets_exist() -> bool:
            everything.extend(p for p in _descendants(proc) if p not in everything)
            if proc.poll() is not None:
                output = (tmp_path / "up.log").read_text(errors="replace")
                raise AssertionError(f"the up ended before it could be killed:\n{output[-3000:]}")
            return len(list(stack.client.assets.list())) >= 8

        wait_until(some_assets_exist, timeout=90, interval=0.2, what="the first assets of the up")
        engines = [p for p in everything if _name(p) == "pulumi"]
        assert len(engines) == 1, [_name(p) for p in everything]
        at_kill = len(list(stack.client.assets.list()))
        engines[0].send_signal(signal.SIGKILL)
        exit_code = proc.wait(timeout=60)
        # The dynamic provider outlives a killed engine unless it notices (providers/base.py).
        deadline = time.monotonic() + 10
        while _alive(everything) and time.monotonic() < deadline:
            time.sleep(0.2)
        survivors = _alive(everything)
    finally:
        for p in everything:  # only what this test started, by pid
            if p.is_running():
                p.kill()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        proxy.clear()

    after_kill = len(list(stack.client.assets.list()))
    print(
        f"\nkill: {at_kill} assets existed when the engine was killed, {after_kill} afterwards; "
        f"processes of the up alive 10 s after the kill: {survivors or 'none'}"
    )
    assert exit_code != 0, "the up must report that it did not finish"
    assert 0 < at_kill < ASSETS, "killed in the middle"
    assert survivors == [], "nothing of the killed up keeps running"
    pending = _pending_operations(stack)
    print(f"pending operations left in the state: {len(pending)}")

    # The killed update still holds the stack's lock: `pulumi cancel` releases it (DIY backend).
    # Creates the engine started but never saw finish are dropped from the state; the next up
    # retries them, and each retried create adopts what its first attempt made (same external id).
    with pytest.raises(auto.ConcurrentUpdateError, match="locked"):
        stack.runner.stack.refresh(clear_pending_creates=True)
    stack.runner.sandbox.run(["cancel", "--yes", "--stack", "test"], stack.runner.work_dir)
    stack.runner.stack.refresh(clear_pending_creates=True, on_output=stack.log.append)
    assert _pending_operations(stack) == []
    stack.log.clear()
    stack.apply(spec)
    adopted = len(set(re.findall(r"adopted existing asset ([0-9a-f-]+)", "".join(stack.log))))
    inventory = Inventory.of(stack.client)
    assert len(inventory.assets) == ASSETS
    assert inventory.duplicates() == {"external_id": [], "title": []}
    assert inventory.asset_ids() == state_ids(stack.resources("Asset"))
    assert no_changes(stack.preview())
    assert adopted >= 1, "creates applied by the API but never recorded were adopted, not duplicated"
    files = emulator.state()["counts"]["file"]
    counters = emulator.counters()
    print(
        f"uploads: {uploads(counters)} POST /files for {ASSETS} assets; {files} files stored, "
        f"{files - ASSETS} no longer referenced by any asset; {adopted} assets adopted by the next up"
    )
