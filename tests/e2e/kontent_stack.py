"""A stack of the spec program wired to a live emulator, for the resource e2e tests."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from kontent_resources.client import KontentClient, RateLimit
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.sandbox import HermeticPulumi
from kontent_resources.sandbox.project import ProjectRunner
from tests.e2e.helpers import PROGRAMS, make_project


class KontentStack:
    """Drives one stack: set a spec, then up / preview / refresh / destroy, and inspect results."""

    def __init__(self, sandbox: HermeticPulumi, emulator: EmulatorServer, tmp_path: Path) -> None:
        self.emulator = emulator
        project = make_project(tmp_path, PROGRAMS / "spec", "spec-stack")
        self.runner = ProjectRunner(project, sandbox, "test")
        self.runner.use_environment(emulator, client_rate_limit=False)  # the emulator runs without limits
        self.client = KontentClient(
            emulator.environment_id, emulator.api_key, emulator.base_url, rate_limit=RateLimit(enabled=False)
        )
        self.log: list[str] = []

    def apply(self, spec: dict[str, Any]) -> auto.UpResult:
        self.runner.set_config({"spec": json.dumps(spec)})
        return self.runner.up(on_output=self.log.append)

    def preview(self, spec: dict[str, Any] | None = None) -> dict[str, int]:
        if spec is not None:
            self.runner.set_config({"spec": json.dumps(spec)})
        return op_counts(self.runner.preview(on_output=self.log.append).change_summary)

    def refresh(self) -> dict[str, int]:
        return op_counts(self.runner.refresh(on_output=self.log.append).summary.resource_changes)

    def destroy(self) -> auto.DestroyResult:
        return self.runner.destroy(on_output=self.log.append)

    def outputs(self) -> dict[str, Any]:
        return self.runner.outputs()

    def resources(self, type_name: str) -> list[dict[str, Any]]:
        state = self.runner.export_state()
        return [r for r in state.get("resources") or [] if r["type"].endswith(f"kontent:{type_name}")]

    def close(self) -> None:
        self.client.close()


def _op_name(op: auto.OpType | str) -> str:
    return op.value if isinstance(op, auto.OpType) else op


def op_counts(changes: Mapping[auto.OpType, int] | None) -> dict[str, int]:
    """The engine's resource counts by operation, keyed by its name ("same", "update", ...).

    The SDK types the keys as ``OpType`` (a ``str`` enum) but fills them with the plain strings of
    the engine's JSON, and an update summary may have no counts at all (None): one form for both.
    """
    return {_op_name(op): count for op, count in (changes or {}).items()}


def no_changes(summary: Mapping[str, int]) -> bool:
    return set(summary) <= {"same"}
