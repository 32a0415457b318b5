"""The official Kontent.ai tools as clients: each test starts a source and a target emulator on free
ports, runs a tool from ``run_tool.mjs`` (Node, versions pinned in ``package-lock.json``, installed
by ``scripts/bootstrap.sh``) and compares the two environments object by object."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kontent_resources.emulator import EmulatorServer

HERE = Path(__file__).parent
RUN_TOOL = HERE / "run_tool.mjs"


def _require_tools() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js (20 or newer) is needed for tests/clients/; install it and rerun.")
    if not (HERE / "node_modules" / "@kontent-ai" / "data-ops").is_dir():
        pytest.fail("tests/clients/node_modules is missing: run scripts/bootstrap.sh (it runs npm ci).")
    return node


def environment(emu: EmulatorServer) -> dict[str, str]:
    return {"baseUrl": emu.base_url, "environmentId": emu.environment_id, "apiKey": emu.api_key}


def run_tool(task: str, params: dict[str, Any], cwd: Path) -> dict[str, Any]:
    """Run one task of ``run_tool.mjs`` in ``cwd`` (the tools write their zip files there)."""
    completed = subprocess.run(
        [_require_tools(), str(RUN_TOOL), task, json.dumps(params)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = completed.stdout.strip().splitlines()
    if not lines:
        raise AssertionError(f"{task}: no result (exit {completed.returncode}): {completed.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    assert result["ok"], f"{task} failed: {result['error']}\n{completed.stderr[-3000:]}"
    return result


@pytest.fixture
def source() -> Iterator[EmulatorServer]:
    with EmulatorServer(rate_limit=False) as server:
        yield server


@pytest.fixture
def new_target() -> Iterator[EmulatorServer]:
    """A new environment: only the default language, collection and workflow (``--no-seed``)."""
    with EmulatorServer(rate_limit=False, seed=False) as server:
        yield server


@pytest.fixture
def seeded_target() -> Iterator[EmulatorServer]:
    """An environment with the sample content model (the same types and languages as the source)."""
    with EmulatorServer(rate_limit=False) as server:
        yield server
