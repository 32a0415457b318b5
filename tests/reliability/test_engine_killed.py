"""Issue 7.3: ``pulumi up`` killed with SIGKILL while it creates 50 assets; the next ``up`` converges."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from pulumi import automation as auto

from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.providers.asset_set import members_of
from kontent_resources.sandbox import HermeticPulumi
from tests.e2e.kontent_stack import KontentStack, no_changes
from tests.reliability.helpers import Inventory, asset_spec, small_files, state_ids, uploads, wait_until
from tests.reliability.proxy import Proxy, Rule

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ASSETS = 50
REPO_ROOT = Path(__file__).resolve().parents[2]


def _start_up(stack: KontentStack, log: Path) -> subprocess.Popen[bytes]:
    """``python -m kontent_resources.sandbox … up`` in its own session, as a user would run it."""
    command = [
        sys.executable,
        "-m",
        "kontent_resources.sandbox",
        "--project",
        ".",
        "up",
        "--yes",
        "--skip-preview",
    ]
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=stack.runner.work_dir, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _readme_recovery() -> list[str]:
    """The documented crash-recovery commands (docs/troubleshooting.md, "After a killed up"), as written."""
    text = (REPO_ROOT / "docs" / "troubleshooting.md").read_text()
    block = text.split("<!-- crash-recovery -->", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def run_readme_recovery(work_dir: Path, *, timeout: float) -> list[str]:
    """Runs the documented crash-recovery lines in ``work_dir`` as a user's shell runs them; their outputs."""
    outputs = []
    for line in _readme_recovery():
        done = subprocess.run(  # noqa: S602 - the documented lines, run as a user's shell runs them
            line, shell=True, cwd=work_dir, capture_output=True, text=True, timeout=timeout, check=False
        )
        assert done.returncode == 0, f"{line}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        outputs.append(done.stdout)
    return outputs


@pytest.fixture
def project_stack(
    engine_bin: Path, emulator: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[KontentStack]:
    """A project folder as the documentation's user has it: state in .kontent/, their passphrase, .venv/."""
    passphrase = tmp_path / "passphrase"
    passphrase.write_text(secrets.token_urlsafe(24))
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE_FILE", str(passphrase))
    sandbox = HermeticPulumi(tmp_path / "spec-stack" / ".kontent", keep=True)
    stack = KontentStack(sandbox, emulator, tmp_path)
    (stack.runner.work_dir / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    yield stack
    stack.close()
    sandbox.close()


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


def _recorded_assets(stack: KontentStack) -> set[str]:
    """Ids of the assets the state records: Asset resources, or the members of an AssetSet."""
    members = [
        member
        for asset_set in stack.resources("AssetSet")
        for member in members_of(asset_set.get("outputs") or {}).values()
    ]
    return state_ids(stack.resources("Asset")) | {str(m["id"]) for m in members}


@pytest.mark.timeout(240)
@pytest.mark.parametrize("layout", ["assets", "asset-set"], ids=["asset-per-file", "one-asset-set"])
@pytest.mark.parametrize(
    "skip_checkpoints", ["false", "true"], ids=["checkpoint-per-step", "state-once-per-run"]
)
def test_up_killed_mid_create_then_readme_recovery_converges(
    project_stack: KontentStack,
    proxy: Proxy,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    skip_checkpoints: str,
    layout: str,
) -> None:
    """Both ways the engine can keep the state: the Pulumi CLI's default (a checkpoint after every
    step) and the sandbox's (the state written once, when the run ends); both layouts of many
    assets: a resource each, or the members of one AssetSet (``AssetDirectory(one_resource=True)``)."""
    monkeypatch.setenv("PULUMI_SKIP_CHECKPOINTS", skip_checkpoints)
    stack = project_stack
    spec = asset_spec(small_files(tmp_path / "files", ASSETS))
    spec["asset_set"] = layout == "asset-set"
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
    recorded = len(_recorded_assets(stack))
    print(f"pending operations left in the state: {len(pending)}; assets recorded: {recorded}")
    if skip_checkpoints == "true":
        assert recorded == 0, "nothing of the killed run is in the state"
        assert pending == []
    else:
        assert recorded + len(pending) > 0, "the steps done before the kill are in the state"

    # The killed update still holds the stack's lock; the documented recovery releases it (cancel),
    # drops the creates the engine started but never saw finish (refresh --clear-pending-creates),
    # and the next up retries them: each retried create adopts what its first attempt made.
    with pytest.raises(auto.ConcurrentUpdateError, match="locked"):
        stack.runner.stack.refresh(clear_pending_creates=True)
    outputs = run_readme_recovery(stack.runner.work_dir, timeout=300)
    assert _pending_operations(stack) == []
    adopted = len(set(re.findall(r"adopted existing asset ([0-9a-f-]+)", outputs[-1])))
    inventory = Inventory.of(stack.client)
    assert len(inventory.assets) == ASSETS
    assert inventory.duplicates() == {"external_id": [], "title": []}
    assert inventory.asset_ids() == _recorded_assets(stack)
    assert no_changes(stack.preview())
    assert adopted >= 1, "creates applied by the API but never recorded were adopted, not duplicated"
    files = emulator.state()["counts"]["file"]
    counters = emulator.counters()
    print(
        f"uploads: {uploads(counters)} POST /files for {ASSETS} assets; {files} files stored, "
        f"{files - ASSETS} no longer referenced by any asset; {adopted} assets adopted by the next up"
    )
