"""Running the emulator: uvicorn glue, plus two helpers for tests and benchmarks.

* ``EmulatorServer`` — uvicorn in a background thread of the current process, on a free
  port, with a temporary data directory unless one is given. Fast; use it in fixtures.
* ``EmulatorProcess`` — ``python -m kontent_resources.emulator`` as a subprocess; the
  URL is parsed from its ready line. Use it for restarts, ``kill -9`` and benchmarks.

Both expose ``root_url`` (``http://host:port``), ``base_url`` (``…/v2``), ``project_url``
(``…/v2/projects/{environment_id}``), ``environment_id``, ``api_key``, ``auth_headers``,
``client()`` and the admin API helpers of ``AdminApi``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, Self

import httpx
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .app import EmulatorApp, create_app
from .config import DEFAULT_API_KEY, DEFAULT_ENVIRONMENT_ID, EmulatorConfig, RateLimitSettings
from .gateway import TRANSPORT_STATE_KEY

READY_PREFIX = "Kontent.ai emulator listening on "
_READY_RE = re.compile(re.escape(READY_PREFIX) + r"(?P<root>http://\S+)/v2\s*$")
_WILDCARD_HOSTS = {"0.0.0.0", "::", ""}  # noqa: S104 - names, not a bind


# -- uvicorn glue -------------------------------------------------------------------------------
class _TransportExposingProtocol(H11Protocol):
    """uvicorn's h11 protocol that hands the connection's transport to the app (via scope state),
    so that an injected fault can abort the TCP connection without sending a response."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.app_state = {**self.app_state, TRANSPORT_STATE_KEY: transport}


class _Server(uvicorn.Server):
    """uvicorn server that reports readiness and stops cleanly (exit 0) on SIGINT/SIGTERM."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None] | None = None) -> None:
        super().__init__(config)
        self._on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if not self.should_exit and self._on_ready is not None:
            self._on_ready()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # uvicorn re-raises the signal after shutdown, which would end the process with a
        # signal status; the emulator treats SIGINT/SIGTERM as a normal, clean stop instead.
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _stop(self, sig: int, frame: FrameType | None) -> None:
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True
        self.should_exit = True


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind before starting uvicorn, so that port 0 resolves to a known free port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets whose proto is
    # TCP; with proto 0 every response (headers and body are separate writes) waits ~40 ms
    # for the client's delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def root_url_for(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def public_root_for(host: str, port: int) -> str | None:
    """Asset URLs use the bound address, unless bound to all interfaces (then: as reached)."""
    return None if host in _WILDCARD_HOSTS else root_url_for(host, port)


def build_server(
    app: EmulatorApp, log_level: str = "warning", on_ready: Callable[[], None] | None = None
) -> _Server:
    config = uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        http=_TransportExposingProtocol,
        loop="asyncio",
        timeout_graceful_shutdown=5,
    )
    return _Server(config, on_ready)


class ThreadedServer:
    """An ASGI app served by uvicorn on a background thread, on an already bound socket."""

    def __init__(self, app: Any, sock: socket.socket, *, name: str, log_level: str = "warning") -> None:
        ready = threading.Event()
        self._server = build_server(app, log_level, on_ready=ready.set)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name=name, daemon=True
        )
        self._thread.start()
        if not ready.wait(timeout=30) or not self._thread.is_alive():
            self.stop()
            raise RuntimeError(f"{name} did not start")

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)


# -- admin API client ---------------------------------------------------------------------------
class AdminApi:
    """Admin API and convenience helpers shared by ``EmulatorServer`` and ``EmulatorProcess``."""

    root_url: str
    environment_id: str
    api_key: str

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v2"

    @property
    def project_url(self) -> str:
        return f"{self.base_url}/projects/{self.environment_id}"

    @property
    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    def client(self, **kwargs: Any) -> httpx.Client:
        """An httpx client for the Management API of this emulator (base URL = ``project_url``)."""
        kwargs.setdefault("timeout", 30.0)
        return httpx.Client(base_url=self.project_url, headers=self.auth_headers, **kwargs)

    def admin(self, method: str, path: str, json: Any = None) -> httpx.Response:
        """Call ``/_emulator{path}``; raises ``httpx.HTTPStatusError`` on an error status."""
        with httpx.Client(timeout=30.0) as http:
            response = http.request(
                method, f"{self.root_url}/_emulator{path}", json=json, headers=self.auth_headers
            )
        response.raise_for_status()
        return response

    def reset(self) -> None:
        self.admin("POST", "/reset")

    def seed(self, payload: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.admin("POST", "/seed", payload).json()
        return result

    def add_fault(self, **spec: Any) -> dict[str, Any]:
        fault: dict[str, Any] = self.admin("POST", "/faults", spec).json()
        return fault

    def faults(self) -> list[dict[str, Any]]:
        listed: list[dict[str, Any]] = self.admin("GET", "/faults").json()["faults"]
        return listed

    def remove_fault(self, fault_id: str) -> None:
        self.admin("DELETE", f"/faults/{fault_id}")

    def clear_faults(self) -> None:
        self.admin("DELETE", "/faults")

    def counters(self) -> dict[str, Any]:
        counters: dict[str, Any] = self.admin("GET", "/counters").json()
        return counters

    def reset_counters(self) -> None:
        self.admin("DELETE", "/counters")

    def rate_limit(self) -> dict[str, Any]:
        settings: dict[str, Any] = self.admin("GET", "/rate-limit").json()
        return settings

    def set_rate_limit(
        self, enabled: bool | None = None, per_second: int | None = None, per_minute: int | None = None
    ) -> dict[str, Any]:
        """Change the given fields of the rate limit (the windows restart)."""
        fields = (("enabled", enabled), ("per_second", per_second), ("per_minute", per_minute))
        settings: dict[str, Any] = self.admin(
            "PUT", "/rate-limit", {k: v for k, v in fields if v is not None}
        ).json()
        return settings

    def set_page_size(self, page_size: int) -> None:
        self.admin("PUT", "/settings", {"page_size": page_size})

    def state(self) -> dict[str, Any]:
        dump: dict[str, Any] = self.admin("GET", "/state").json()
        return dump


class _Lifecycle(AdminApi):
    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> int | None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


# -- in-process server --------------------------------------------------------------------------
class EmulatorServer(_Lifecycle):
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


class EmulatorProcess(_Lifecycle):
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
