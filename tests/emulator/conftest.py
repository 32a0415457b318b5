"""Fixtures: one in-process emulator per session (rate limits off), reset before every test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from kontent_resources.emulator import EmulatorServer


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[EmulatorServer]:
    with EmulatorServer(rate_limit=False) as server:
        yield server


@pytest.fixture
def emu(emulator_server: EmulatorServer) -> EmulatorServer:
    """The shared emulator, back to its seed state with no faults, zeroed counters, default settings."""
    emulator_server.reset()
    emulator_server.clear_faults()
    emulator_server.set_rate_limit(enabled=False, per_second=10, per_minute=400)
    emulator_server.set_page_size(50)
    emulator_server.reset_counters()
    return emulator_server


@pytest.fixture
def client(emu: EmulatorServer) -> Iterator[httpx.Client]:
    with emu.client() as http:
        yield http
