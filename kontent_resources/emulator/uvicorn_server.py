"""uvicorn glue: serving the emulator's ASGI app on an already bound socket, in this thread or another.

The socket is bound before uvicorn starts, so that port 0 resolves to a known free port, and the
HTTP protocol hands each connection's transport to the app, so that an injected fault can cut a
connection without answering. The protocol is uvicorn's httptools one (C parser): with the pure
Python h11 one, parsing and writing HTTP took about a third of the emulator's CPU per request,
on the cores the client and the engine share with it in every benchmark.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .app import EmulatorApp
from .gateway import TRANSPORT_STATE_KEY

_WILDCARD_HOSTS = {"0.0.0.0", "::", ""}  # noqa: S104 - names, not a bind


class _TransportExposingProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol that hands the connection's transport to the app (via scope state),
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
