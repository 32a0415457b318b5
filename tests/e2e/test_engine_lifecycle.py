"""The real Pulumi CLI drives a trivial dynamic resource through its whole lifecycle."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from kontent_resources._testing.echo import echo_program
from kontent_resources.sandbox import HermeticPulumi
from tests.e2e.helpers import PROGRAMS, make_project

pytestmark = pytest.mark.e2e

SECRET_SIG = "4dabf18193072939515e22adb298388d"
ECHO_TYPE = "pulumi-python:dynamic:Resource"


def _echo_resources(state: dict[str, Any]) -> list[dict[str, Any]]:
    resources = state["deployment"].get("resources") or []
    return [r for r in resources if r["type"] == ECHO_TYPE]


def _sandbox_cli(project: Path, state: Path, *args: str) -> str:
    """Run ``python -m kontent_resources.sandbox`` the way a user would, in its own process."""
    command = [
        sys.executable,
        "-m",
        "kontent_resources.sandbox",
        "--project",
        str(project),
        "--state-dir",
        str(state),
        *args,
    ]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, f"{args} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return proc.stdout


def test_project_directory_lifecycle(
    engine_bin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder with Pulumi.yaml: the program runs inline, every other step is the plain CLI."""
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("the user's own passphrase\n")
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE_FILE", str(passphrase))
    project = make_project(tmp_path, PROGRAMS / "echo", "echo-project")
    state = tmp_path / "state"
    _sandbox_cli(project, state, "config", "set", "message", "hello")

    up = _sandbox_cli(project, state, "up", "--yes")
    assert "+ 2 created" in up
    assert json.loads(_sandbox_cli(project, state, "outputs")) == {"message": "hello", "length": 5}

    assert "2 unchanged" in _sandbox_cli(project, state, "preview", "--expect-no-changes")

    _sandbox_cli(project, state, "config", "set", "message", "hello, world")
    preview = _sandbox_cli(project, state, "preview")
    assert "~ 1 to update" in preview
    _sandbox_cli(project, state, "up", "--skip-preview")
    assert json.loads(_sandbox_cli(project, state, "outputs"))["length"] == 12

    with HermeticPulumi(state, keep=True) as cli:
        first_id = _echo_resources(cli.export_state(project, "dev"))[0]["id"]
        cli.run(["refresh", "--yes", "--expect-no-changes", "--stack", "dev"], project)
        [echo] = _echo_resources(cli.export_state(project, "dev"))
        assert echo["id"] == first_id, "an input change must update in place, not replace"
        provider = echo["outputs"]["__provider"]
        assert provider.get(SECRET_SIG) == "1b47061264138c4ac30d75fd1eb44270", "__provider must be a secret"
        assert "ciphertext" in provider

        cli.run(["destroy", "--yes", "--stack", "dev"], project)
        assert _echo_resources(cli.export_state(project, "dev")) == []


def test_automation_api_lifecycle(pulumi_sandbox: HermeticPulumi, tmp_path: Path) -> None:
    work_dir = tmp_path / "automation"
    work_dir.mkdir()
    stack = auto.create_or_select_stack(
        stack_name="dev",
        project_name="echo-automation",
        program=echo_program,
        opts=pulumi_sandbox.automation_options(work_dir),
    )
    stack.set_config("message", auto.ConfigValue("hi"))

    up = stack.up()
    assert up.summary.resource_changes == {"create": 2}
    assert up.outputs["message"].value == "hi"

    assert stack.preview().change_summary == {auto.OpType.SAME: 2}

    stack.set_config("message", auto.ConfigValue("hi there"))
    up = stack.up()
    assert up.summary.resource_changes == {"same": 1, "update": 1}
    assert up.outputs["length"].value == 8

    refresh = stack.refresh()
    assert refresh.summary.resource_changes == {"same": 2}

    state = stack.export_stack().deployment
    [echo] = _echo_resources({"deployment": state})
    assert echo["outputs"]["__provider"].get(SECRET_SIG) == "1b47061264138c4ac30d75fd1eb44270"

    destroy = stack.destroy()
    assert destroy.summary.resource_changes == {"delete": 2}
    stack.workspace.remove_stack("dev")
