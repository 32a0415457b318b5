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
from pathlib import Path
from typing import Self

from .admin_client import AdminApi, Lifecycle
from .app import EmulatorApp, create_app
from .config import DEFAULT_API_KEY, DEFAULT_ENVIRONMENT_ID, EmulatorConfig, RateLimitSettings
from .uvicorn_server import ThreadedServer, bind_socket, public_root_for, root_url_for

READY_PREFIX = "Kontent.ai emulator listening on "
_READY_RE = re.compile(re.escape(READY_PREFIX) + r"(?P<root>http://\S+)/v2\s*$")


__all__ = ["READY_PREFIX", "AdminApi", "EmulatorProcess", "EmulatorServer"]


# -- in-process server --------------------------------------------------------------------------
class EmulatorServer(Lifecycle):
    """The emulator on a background thread of this process (``with EmulatorServer() as emu: …``)."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        data_dir: Path | None = None,
        environment_id: str = DEFAULT_ENVIRONMENT_ID,
        api_key: str = DEFAULT_API_KEY,
        read_only_key: str | None = None,
        rate_limit: bool = True,
        per_second: int = RateLimitSettings.per_second,
        per_minute: int = RateLimitSettings.per_minute,
        page_size: int = EmulatorConfig.page_size,
        seed: bool = True,
        log_level: str = "warning",
    ) -> None:
        self.host, self.port = host, port
        self.environment_id, self.api_key = environment_id, api_key
        self.read_only_key = read_only_key
        self._data_dir = data_dir
        self._settings = RateLimitSettings(enabled=rate_limit, per_second=per_second, per_minute=per_minute)
        self._page_size, self._seed, self._log_level = page_size, seed, log_level
        self._temp_dir: str | None = None
        self._server: ThreadedServer | None = None
        self.app: EmulatorApp | None = None
        self.root_url = ""

    @property
    def data_dir(self) -> Path:
        if self._data_dir is None:
            raise RuntimeError("the server is not started")
        return self._data_dir

    def start(self) -> Self:
        if self._data_dir is None:
            self._temp_dir = tempfile.mkdtemp(prefix="kontent-emulator-")
            self._data_dir = Path(self._temp_dir)
        sock = bind_socket(self.host, self.port)
        self.port = int(sock.getsockname()[1])
        self.root_url = root_url_for(self.host, self.port)
        config = EmulatorConfig(
            data_dir=self._data_dir,
            environment_id=self.environment_id,
            api_key=self.api_key,
            read_only_key=self.read_only_key,
            rate_limit=self._settings,
            page_size=self._page_size,
            seed=self._seed,
            public_root=public_root_for(self.host, self.port),
        )
        self.app = create_app(config)
        try:
            self._server = ThreadedServer(self.app, sock, name="kontent-emulator", log_level=self._log_level)
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
            self._data_dir = None


# -- subprocess -----------------------------------------------------------------------------------
def _repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


class EmulatorProcess(Lifecycle):
    """``python -m kontent_resources.emulator`` in a subprocess (``with EmulatorProcess(...) as emu:``).

    ``stop()`` sends SIGTERM (clean shutdown); ``kill()`` sends SIGKILL (simulated crash).
    Without ``data_dir`` the process uses (and removes) its own temporary directory.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        data_dir: Path | None = None,
        environment_id: str = DEFAULT_ENVIRONMENT_ID,
        api_key: str = DEFAULT_API_KEY,
        rate_limit: bool = True,
        per_second: int | None = None,
        per_minute: int | None = None,
        page_size: int | None = None,
        seed: bool = True,
        extra_args: tuple[str, ...] = (),
        extra_env: dict[str, str] | None = None,
        startup_timeout: float = 30.0,
    ) -> None:
        self.host, self.port, self.data_dir = host, port, data_dir
        self.extra_env = dict(extra_env or {})
        self.environment_id, self.api_key = environment_id, api_key
        self.startup_timeout = startup_timeout
        self.root_url = ""
        self.proc: subprocess.Popen[str] | None = None
        self._args = self._command(rate_limit, per_second, per_minute, page_size, seed, extra_args)

    def _command(
        self,
        rate_limit: bool,
        per_second: int | None,
        per_minute: int | None,
        page_size: int | None,
        seed: bool,
        extra_args: tuple[str, ...],
    ) -> list[str]:
        args = [
            sys.executable,
            "-m",
            "kontent_resources.emulator",
            "--host",
            self.host,
            "--port",
            str(self.port),
        ]
        args += ["--environment-id", self.environment_id, "--api-key", self.api_key]
        if self.data_dir is not None:
            args += ["--data-dir", str(self.data_dir)]
        if not rate_limit:
            args.append("--no-rate-limit")
        if per_second is not None:
            args += ["--rate-limit-per-second", str(per_second)]
        if per_minute is not None:
            args += ["--rate-limit-per-minute", str(per_minute)]
        if page_size is not None:
            args += ["--page-size", str(page_size)]
        if not seed:
            args.append("--no-seed")
        return args + list(extra_args)

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
        self.proc = subprocess.Popen(self._args, stdout=subprocess.PIPE, text=True, env=env)
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
