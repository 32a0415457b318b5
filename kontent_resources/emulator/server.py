"""The emulator as a server to start and stop, for tests, benchmarks and the sandbox.

* ``EmulatorServer`` — uvicorn in a background thread of the current process, on a free
  port, with a temporary data directory unless one is given. Fast; use it in fixtures.
* ``EmulatorProcess`` — ``python -m kontent_resources.emulator`` as a subprocess; the
  URL is parsed from its ready line. Use it for restarts, ``kill -9`` and benchmarks.

Both expose ``root_url`` (``http://host:port``), ``base_url`` (``…/v2``), ``project_url``
(``…/v2/projects/{environment_id}``), ``environment_id``, ``api_key``, ``auth_headers``,
``client()`` and the admin API helpers of ``AdminApi``.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

from .admin_client import AdminApi, Lifecycle
from .app import EmulatorApp, create_app
from .config import EmulatorOptions
from .uvicorn_server import ThreadedServer, bind_socket, public_root_for, root_url_for

READY_PREFIX = "Kontent.ai emulator listening on "
_READY_RE = re.compile(re.escape(READY_PREFIX) + r"(?P<root>http://\S+)/v2\s*$")


__all__ = ["READY_PREFIX", "AdminApi", "EmulatorProcess", "EmulatorServer"]


# -- in-process server --------------------------------------------------------------------------
@dataclass(kw_only=True, eq=False)
class EmulatorServer(EmulatorOptions, Lifecycle):
    """The emulator on a background thread of this process (``with EmulatorServer() as emu: …``);
    its keyword arguments are ``EmulatorOptions``'."""

    root_url: str = field(default="", init=False)
    app: EmulatorApp | None = field(default=None, init=False)
    _temp_dir: str | None = field(default=None, init=False, repr=False)
    _server: ThreadedServer | None = field(default=None, init=False, repr=False)

    def start(self) -> Self:
        if self.data_dir is None:
            self._temp_dir = tempfile.mkdtemp(prefix="kontent-emulator-")
            self.data_dir = Path(self._temp_dir)
        sock = bind_socket(self.host, self.port)
        self.port = int(sock.getsockname()[1])
        self.root_url = root_url_for(self.host, self.port)
        self.app = create_app(self.config(self.data_dir, public_root_for(self.host, self.port)))
        try:
            self._server = ThreadedServer(self.app, sock, name="kontent-emulator", log_level=self.log_level)
        except RuntimeError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop serving, close the store and remove the temporary data directory (if any)."""
        if self._server is not None:
            self._server.stop()
            self._server = None
        if self.app is not None:
            self.app.close()
            self.app = None
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None
            self.data_dir = None


# -- subprocess -----------------------------------------------------------------------------------
def _repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


@dataclass(kw_only=True, eq=False)
class EmulatorProcess(EmulatorOptions, Lifecycle):
    """``python -m kontent_resources.emulator`` in a subprocess (``with EmulatorProcess(...) as emu:``);
    its keyword arguments are ``EmulatorOptions``' and the two below.

    ``stop()`` sends SIGTERM (clean shutdown); ``kill()`` sends SIGKILL (simulated crash).
    Without ``data_dir`` the process uses (and removes) its own temporary directory.
    """

    extra_env: dict[str, str] = field(default_factory=dict)
    """Variables set for the process beside this one's environment."""
    startup_timeout: float = 30.0
    """Seconds to wait for its ready line."""
    root_url: str = field(default="", init=False)
    proc: subprocess.Popen[str] | None = field(default=None, init=False, repr=False)

    @property
    def pid(self) -> int:
        if self.proc is None:
            raise RuntimeError("the process is not started")
        return self.proc.pid

    def start(self) -> Self:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_repo_root()), env.get("PYTHONPATH")]))
        env["PYTHONUNBUFFERED"] = "1"
        env.update(self.extra_env)
        command = [sys.executable, "-m", "kontent_resources.emulator", *self.command_line()]
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_pump, args=(self.proc, lines), daemon=True).start()
        self.root_url = self._await_ready(lines)
        self.port = int(self.root_url.rsplit(":", 1)[1])
        return self

    def _await_ready(self, lines: queue.Queue[str | None]) -> str:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            match = _READY_RE.search(line)
            if match:
                return match.group("root")
        self.kill()
        raise RuntimeError("the emulator process did not report readiness")

    def stop(self, timeout: float = 15.0) -> int | None:
        """SIGTERM and wait; returns the exit status (SIGKILL if it does not stop in time)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def kill(self) -> None:
        """SIGKILL: no cleanup at all, like a crash or ``kill -9``."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def _pump(proc: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    """Forward the child's stdout lines (and keep draining it so the pipe never fills)."""
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.put(line)
    lines.put(None)
