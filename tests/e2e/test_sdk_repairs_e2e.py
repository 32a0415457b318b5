"""The engine's own behaviour is kept with the SDK repairs on, and everything works with them off."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi._types
import pulumi.runtime.rpc
import pulumi.runtime.stack
import pytest
from pulumi import automation as auto

from kontent_resources import _sdk
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.sandbox import HermeticPulumi
from kontent_resources.sandbox.project import ProjectRunner
from tests.e2e.kontent_stack import KontentStack

sdk_resource: Any = importlib.import_module("pulumi.runtime.resource")  # Any: its names are not typed exports

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]


def _files(folder: Path, *names: str) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text(f"the file {name}\n")
    return [str(folder / name) for name in names]


def test_up_continue_on_error_creates_the_independent_resources_and_fails(
    stack: KontentStack, tmp_path: Path
) -> None:
    """``pulumi up --continue-on-error``: the others are made, the failure reported, the run fails."""
    one, two, bad = _files(tmp_path / "files", "one.txt", "two.txt", "bad.txt")
    spec = {
        "assets": [
            {"key": "one", "source": one, "title": "One"},
            {"key": "two", "source": two, "title": "Two"},
            # The API fails every write of it (a 503 the emulator is told to answer, until the
            # request's 3 s deadline): the preview cannot know it, so the run meets it in the middle.
            {"key": "bad", "source": bad, "title": "Bad", "external_id": "refused-asset"},
        ]
    }
    stack.runner.set_config({"spec": json.dumps(spec), "kontent:requestTimeoutSeconds": "3"})
    stack.runner.record_identity_first(on_output=stack.log.append)
    stack.emulator.add_fault(status=503, methods=["PUT"], path_contains="/external-id/refused-asset")
    with pytest.raises(auto.CommandError) as failed:
        stack.runner.stack.up(on_output=stack.log.append, continue_on_error=True)
    output = str(failed.value) + "\n".join(stack.log)
    assert "create asset 'Bad'" in output, "the failure is reported"
    made = {r["urn"].rsplit("::", 1)[1] for r in stack.resources("Asset")}
    assert made == {"one", "two"}, "the resources that do not depend on the failed one were created"
    titles = sorted(str(a.title) for a in stack.client.assets.list())
    assert titles == ["One", "Two"]


@pytest.fixture
def repairs_off(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """KONTENT_SDK_REPAIRS=off for this process (the program runs inline) and the engine's children."""
    monkeypatch.setenv(_sdk.SWITCH, "off")
    _sdk.uninstall("program")
    yield
    _sdk.uninstall("program")  # the next test's first resource installs them as configured


def test_quickstart_with_every_repair_off(
    repairs_off: None, engine_bin: Path, emulator: EmulatorServer, tmp_path: Path
) -> None:
    shipped = (
        pulumi._types.resource_types,
        pulumi.runtime.rpc.transfer_properties,
        pulumi.runtime.stack.wait_for_rpcs,
        pulumi.runtime.stack.massage_complex,
        sdk_resource.traceback,
        sdk_resource.log,
    )
    sandbox = HermeticPulumi(tmp_path / "sandbox")  # its environment, and so the provider's, has the switch
    try:
        runner = ProjectRunner(REPO_ROOT, sandbox, "dev", isolated=True)
        runner.use_environment(emulator, client_rate_limit=False)
        runner.up()
        outputs = runner.outputs()
        assert set(outputs["asset_ids"]) == {"logo", "icon", "hero", "team", "guidelines"}
        assert runner.preview().change_summary == {auto.OpType.SAME: 13}
        states = {s.name: s.state for s in _sdk.status(["program"])}
        assert states.pop("pickler") == "on", "a fix of the standard library's state, not switched"
        assert set(states.values()) == {"off"}
        assert (
            pulumi._types.resource_types,
            pulumi.runtime.rpc.transfer_properties,
            pulumi.runtime.stack.wait_for_rpcs,
            pulumi.runtime.stack.massage_complex,
            sdk_resource.traceback,
            sdk_resource.log,
        ) == shipped, "the SDK is as it ships"
        runner.destroy()
    finally:
        sandbox.close()
