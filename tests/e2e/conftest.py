"""Fixtures for tests that drive the real Pulumi engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kontent_resources.sandbox import HermeticPulumi, locate_engine


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
