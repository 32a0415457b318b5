"""Fixtures of the reliability tests: the e2e fixtures (engine, sandbox, emulator, stack) reused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.sandbox import HermeticPulumi
from tests.e2e.conftest import emulator, engine_bin, pulumi_sandbox, secret_emulator, stack
from tests.reliability.helpers import RawStack
from tests.reliability.proxy import Proxy

__all__ = ["emulator", "engine_bin", "proxy", "pulumi_sandbox", "raw_stack", "secret_emulator", "stack"]


@pytest.fixture
def raw_stack(pulumi_sandbox: HermeticPulumi, emulator: EmulatorServer, tmp_path: Path) -> Iterator[RawStack]:
    stack = RawStack(pulumi_sandbox, emulator, tmp_path)
    yield stack
    stack.close()


@pytest.fixture
def proxy(emulator: EmulatorServer) -> Iterator[Proxy]:
    """A loopback proxy in front of the emulator (``proxy.py``); point a stack at ``proxy.base_url``."""
    with Proxy(emulator.root_url) as running:
        yield running
