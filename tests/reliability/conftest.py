"""Fixtures of the reliability tests: the e2e fixtures (engine, sandbox, emulator, stack) reused."""

from __future__ import annotations

from tests.e2e.conftest import emulator, engine_bin, pulumi_sandbox, stack

__all__ = ["emulator", "engine_bin", "pulumi_sandbox", "stack"]
