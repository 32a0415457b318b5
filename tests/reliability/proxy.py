"""A loopback HTTP proxy in front of the emulator, for faults the emulator cannot inject itself.

The emulator's own faults act *before* a request is handled (nothing is written). This proxy
adds the two cases that need a request to reach, or to be judged by, "the server":

* ``drop_response``: forward the request, let the emulator apply and acknowledge the write,
  then close the connection instead of passing the answer on (the client never learns that
  its write happened: the case that makes naive retries duplicate things);
* ``delay_response``: let the emulator apply the write, then hold its answer back for
  ``seconds`` (a crash in that window leaves a write the client never saw acknowledged);
* ``status``: answer with an error status the emulator never sends on purpose, e.g. 403 for
  a key that lacks a permission.

It runs on uvicorn with the emulator's transport-exposing protocol, in a thread of this process.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

import anyio
import httpx
from starlette.types import Message, Receive, Scope, Send

from kontent_resources.emulator.gateway import TRANSPORT_STATE_KEY
from kontent_resources.emulator.uvicorn_server import ThreadedServer, bind_socket

_HOP_BY_HOP = {b"host", b"connection", b"keep-alive", b"transfer-encoding", b"content-length"}


@dataclass
class Rule:
    """Applies to requests whose ``METHOD path`` matches ``pattern``, at most ``count`` times."""

    pattern: str
    action: str  # "drop_response", "delay_response" or "status"
    count: int | None = None
    seconds: float = 0.0
    status: int = 403
    message: str = "The API key does not have the permission this request needs."
    only_success: bool = True  # drop_response: only drop answers that acknowledge a write (2xx)
    fired: int = 0

    def matches(self, line: str) -> bool:
        return (self.count is None or self.fired < self.count) and re.search(self.pattern, line) is not None


@dataclass
class Proxy:
    upstream_root: str
    rules: list[Rule] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    root_url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadedServer | None = None

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v2"

    def add(self, rule: Rule) -> Rule:
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()

    def _claim(self, line: str, status: int | None) -> Rule | None:
        """The first matching rule, counted as fired (``status`` is the upstream answer, if any)."""
        with self._lock:
            for rule in self.rules:
                if not rule.matches(line):
                    continue
                acknowledged = status is not None and (status < 300 or not rule.only_success)
                if rule.action in ("drop_response", "delay_response") and not acknowledged:
                    continue
                if rule.action == "status" and status is not None:
                    continue
                rule.fired += 1
                return rule
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        line = f"{scope['method']} {scope['path']}"
        rule = self._claim(line, None)
        if rule is not None:  # answered by the proxy itself, the emulator never sees it
            await _send_error(send, rule.status, rule.message)
            return
        body = await _read_body(receive)
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in _HOP_BY_HOP]
        query = scope["query_string"].decode()
        url = self.upstream_root + scope["path"] + (f"?{query}" if query else "")
        async with httpx.AsyncClient(timeout=120.0) as client:
            upstream = await client.request(scope["method"], url, headers=headers, content=body)
        rule = self._claim(line, upstream.status_code)
        if rule is not None and rule.action == "delay_response":
            await anyio.sleep(rule.seconds)
        elif rule is not None:
            with self._lock:
                self.dropped[re.sub(r"/projects/[^/]+", "", line)] += 1
            transport = scope.get("state", {}).get(TRANSPORT_STATE_KEY)
            assert transport is not None, "the proxy must run on the transport-exposing protocol"
            transport.abort()
            with anyio.move_on_after(5):
                while (await receive())["type"] != "http.disconnect":
                    pass
            return
        out_headers = [
            (k.encode("latin-1"), v.encode("latin-1"))
            for k, v in upstream.headers.items()
            if k.lower().encode() not in _HOP_BY_HOP and k.lower() != "content-encoding"
        ]
        out_headers.append((b"content-length", str(len(upstream.content)).encode()))
        await send({"type": "http.response.start", "status": upstream.status_code, "headers": out_headers})
        await send({"type": "http.response.body", "body": upstream.content})

    def start(self) -> Self:
        sock = bind_socket("127.0.0.1", 0)
        self.root_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self._server = ThreadedServer(self, sock, name="reliability-proxy")
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message: Message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _send_error(send: Send, status: int, message: str) -> None:
    body = json.dumps(
        {"request_id": "proxy", "error_code": 7 if status == 403 else 0, "message": message}
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
