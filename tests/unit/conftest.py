"""Fixtures for the client unit tests: the recorded payloads' folder and a scripted HTTP server."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kontent_resources.client import KontentClient, RetryPolicy

REPO_ROOT = Path(__file__).resolve().parents[2]

ENV_ID = "11111111-2222-3333-4444-555555555555"
API_KEY = "kontent-test-key-9f8e7d6c5b4a"
FAST_RETRY = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, deadline=30.0)


class ScriptedServer:
    def __init__(self, url: str, process: subprocess.Popen[str]) -> None:
        self.url = url
        self.base_url = f"{url}/v2"
        self.process = process
        self._admin = httpx.Client(base_url=url, timeout=10.0)

    def script(self, *responses: dict[str, Any]) -> None:
        self._admin.post("/__admin/script", json=list(responses)).raise_for_status()

    def requests(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._admin.get("/__admin/requests").json()
        return result

    def reset(self) -> None:
        self._admin.post("/__admin/reset").raise_for_status()

    def close(self) -> None:
        self._admin.close()


def start_server() -> ScriptedServer:
    script = Path(__file__).with_name("_scripted_server.py")
    process = subprocess.Popen(
        [sys.executable, str(script)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("PORT "):
        process.kill()
        raise RuntimeError(f"scripted server did not start: {line!r}")
    server = ScriptedServer(f"http://127.0.0.1:{line.split()[1]}", process)
    _wait_until_up(server)
    return server


def _wait_until_up(server: ScriptedServer) -> None:
    for _ in range(200):
        try:
            server.reset()
            return
        except httpx.TransportError:
            time.sleep(0.025)
    raise RuntimeError("scripted server did not answer")


def stop_server(server: ScriptedServer) -> None:
    server.close()
    assert server.process.stdin is not None
    server.process.stdin.close()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def scripted_server() -> Iterator[ScriptedServer]:
    server = start_server()
    yield server
    stop_server(server)


@pytest.fixture
def api(scripted_server: ScriptedServer) -> ScriptedServer:
    scripted_server.reset()
    return scripted_server


@pytest.fixture
def make_client(api: ScriptedServer) -> Iterator[Callable[..., KontentClient]]:
    clients: list[KontentClient] = []

    def make(**options: Any) -> KontentClient:
        options.setdefault("rate_limit", None)
        options.setdefault("retry", FAST_RETRY)
        client = KontentClient(ENV_ID, API_KEY, api.base_url, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
