"""Ctrl-C during an `up` whose upload has stalled: the run stops at once, leaves no process and no
half-stored file behind, and the next `up` (after the `cancel` the message names) converges.

Measured through ``python -m kontent_resources.sandbox``, the way projects run on machines without
the Pulumi Python language host: the terminal's SIGINT reaches the whole process group (the sandbox,
the engine, the provider).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from PIL import Image

from kontent_resources.emulator.server import EmulatorServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PROGRAM = """import pulumi
from kontent_resources import Asset

logo = Asset("logo", source="logo.png", title="Logo")
pulumi.export("logo_id", logo.id)
"""
STALL_MS = 600_000  # the upload would hang for 10 minutes
# The sandbox as a terminal starts it: with Ctrl-C's default effect. A test run started as a
# background job of a non-interactive shell has SIGINT ignored, and a child inherits that.
AS_FROM_A_TERMINAL = (
    "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "runpy.run_module('kontent_resources.sandbox', run_name='__main__', alter_sys=True)"
)


class Run:
    """One sandbox command in its own session, its output collected as it comes."""

    def __init__(self, project: Path, env: dict[str, str], *args: str) -> None:
        command = [sys.executable, "-c", AS_FROM_A_TERMINAL, "--project", ".", *args]
        self.process = subprocess.Popen(
            command, cwd=project, env=env, start_new_session=True, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        self.output: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    def wait_for(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.output):
            assert self.process.poll() is None, "".join(self.output)
            assert time.monotonic() < deadline, f"no {text!r} after {timeout} s:\n{''.join(self.output)}"
            time.sleep(0.2)

    def session_processes(self) -> list[psutil.Process]:
        found = []
        for process in psutil.process_iter():
            try:
                # A zombie has exited already; it waits only for its (gone) parent to be reaped.
                if os.getsid(process.pid) == self.process.pid and process.status() != psutil.STATUS_ZOMBIE:
                    found.append(process)
            except (ProcessLookupError, PermissionError, psutil.Error):
                continue
        return found


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "library"
    project.mkdir()
    (project / "Pulumi.yaml").write_text("name: library\nruntime: python\n")
    (project / "__main__.py").write_text(PROGRAM)
    Image.new("RGB", (64, 64), "teal").save(project / "logo.png")
    return project


def _run(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "kontent_resources.sandbox", "--project", ".", *args]
    return subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_ctrl_c_during_a_stalled_upload_stops_at_once_and_the_next_up_converges(tmp_path: Path) -> None:
    project = _project(tmp_path)
    with EmulatorServer(rate_limit=False) as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KONTENT_")}
        env |= {
            "KONTENT_ENVIRONMENT_ID": api.environment_id,
            "KONTENT_API_KEY": api.api_key,
            "KONTENT_BASE_URL": api.base_url,
            "PULUMI_CONFIG_PASSPHRASE": secrets.token_urlsafe(16),
        }
        stall = api.add_fault(latency_ms=STALL_MS, path_contains="/files/")
        up = Run(project, env, "up", "--yes")
        up.wait_for("Asset logo creating", timeout=240)
        time.sleep(2)  # the upload is now in flight, held by the fault
        interrupted = time.monotonic()
        os.killpg(up.process.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends
        try:
            returncode = up.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            running = [(p.pid, p.status(), p.cmdline()) for p in up.session_processes()]
            os.killpg(up.process.pid, signal.SIGKILL)
            pytest.fail(f"still running 60 s after Ctrl-C: {running}\n{''.join(up.output)[-3000:]}")
        stopped_after = time.monotonic() - interrupted
        time.sleep(1)
        leftovers = up.session_processes()
        output = "".join(up.output)
        print(f"\n--- Ctrl-C: exit {returncode} after {stopped_after:.1f} s\n{output[-1200:]}")
        assert returncode != 0
        assert leftovers == [], f"processes left running: {[p.cmdline() for p in leftovers]}"
        assert "Interrupted: run `cancel --yes` if a later command says the stack is locked." in output
        assert "Traceback" not in output, "one message, no traceback"
        assert api.state()["counts"]["file"] == 0, "the stalled upload stored nothing"
        assert api.state()["counts"]["asset"] == 0

        api.remove_fault(stall["id"])
        cancel = _run(project, env, "cancel", "--yes")
        assert cancel.returncode == 0, cancel.stdout + cancel.stderr
        again = _run(project, env, "up", "--yes")
        assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
        assert api.state()["counts"]["asset"] == 1
        assert api.state()["counts"]["file"] == 1
        assert _run(project, env, "destroy", "--yes").returncode == 0
        assert api.state()["counts"]["asset"] == 0
