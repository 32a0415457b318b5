"""Fixtures for tests that drive the real Pulumi engine."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.sandbox import HermeticPulumi, locate_engine
from tests.e2e.kontent_stack import KontentStack


@pytest.fixture(scope="session")
def engine_bin() -> Path:
    """Builds the engine once (a no-op when cached) before any e2e test needs it."""
    return locate_engine()


@pytest.fixture
def pulumi_sandbox(engine_bin: Path, tmp_path: Path) -> Iterator[HermeticPulumi]:
    sandbox = HermeticPulumi(tmp_path / "sandbox")
    assert sandbox.bin_dir == engine_bin
    yield sandbox
    sandbox.close()


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[EmulatorServer]:
    """A seeded emulator without rate limits (the limits have their own tests)."""
    with EmulatorServer(data_dir=tmp_path / "emulator", rate_limit=False) as server:
        yield server


@pytest.fixture
def secret_emulator(tmp_path: Path) -> Iterator[EmulatorServer]:
    """An emulator whose key is random: any occurrence of it anywhere is a leak, not a coincidence."""
    key = f"kontent-secret-{secrets.token_hex(16)}"
    with EmulatorServer(data_dir=tmp_path / "emulator", rate_limit=False, api_key=key) as server:
        yield server


@pytest.fixture
def stack(pulumi_sandbox: HermeticPulumi, emulator: EmulatorServer, tmp_path: Path) -> Iterator[KontentStack]:
    kontent_stack = KontentStack(pulumi_sandbox, emulator, tmp_path)
    yield kontent_stack
    kontent_stack.close()
