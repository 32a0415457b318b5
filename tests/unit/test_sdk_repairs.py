"""The SDK repairs as a guest (kontent_resources/_sdk): one switch, a gate on what each replaces, a report."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi._types as sdk_types
import pytest

from kontent_resources import _sdk
from kontent_resources._sdk import _core
from kontent_resources.doctor import report

# Every name any repair replaces, as "module:attribute" (the provider's is checked in test_sdk_compat).
REPLACED = (
    "pulumi._types:resource_types",
    "pulumi.runtime.rpc:transfer_properties",
    "pulumi.runtime.stack:massage_complex",
    "pulumi.runtime.stack:wait_for_rpcs",
    "pulumi.runtime.resource:traceback",
)


@pytest.fixture
def program_repairs() -> Iterator[None]:
    """Program repairs installed afresh by the test, and the SDK as it ships afterwards."""
    _sdk.uninstall("program")
    yield
    _sdk.uninstall("program")


@pytest.mark.parametrize(
    ("setting", "name", "allowed"),
    [
        (None, "stack-traces", True),
        ("on", "stack-traces", True),
        ("off", "stack-traces", False),
        ("OFF", "stack-traces", False),
        ("0", "stack-traces", False),
        ("stack-traces,resource-types", "resource-types", True),
        ("stack-traces,resource-types", "output-drain", False),
        ("all,-stack-traces", "stack-traces", False),
        ("all,-stack-traces", "resource-types", True),
        ("off", "pickler", True),  # a fix of the standard library's state, not of the SDK
    ],
)
def test_the_switch(setting: str | None, name: str, allowed: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if setting is None:
        monkeypatch.delenv(_sdk.SWITCH, raising=False)
    else:
        monkeypatch.setenv(_sdk.SWITCH, setting)
    _core.repairs()
    assert _sdk.switch_allows(name)[0] is allowed


def test_a_repair_whose_target_changed_is_skipped_and_reported_once(
    program_repairs: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def resource_types(cls: type) -> dict[str, type]:  # another SDK's version of the function
        return {}

    monkeypatch.setenv(_sdk.SWITCH, "on")
    monkeypatch.setattr(sdk_types, "resource_types", resource_types)
    _sdk.install("program")
    _sdk.install("program")
    assert sdk_types.resource_types is resource_types, "the SDK's function is left as it is"
    states = {s.name: s for s in _sdk.status(["program"])}
    assert states["resource-types"].state == "skipped"
    assert (
        "pulumi._types.resource_types is not the code it was written against"
        in states["resource-types"].reason
    )
    assert "SDK 3.272.0" in states["resource-types"].reason
    assert states["stack-traces"].state == "on", "the other repairs still apply"
    lines = [line for line in capsys.readouterr().err.splitlines() if "resource-types" in line]
    assert len(lines) == 1
    assert lines[0].startswith("kontent_resources: SDK repair 'resource-types' skipped: ")


_PROBE = """
import gc, importlib, json, sys
from kontent_resources import _sdk

names = json.loads(sys.argv[1])
def current():
    return {n: id(getattr(importlib.import_module(n.split(":")[0]), n.split(":")[1])) for n in names}
before, threshold = current(), gc.get_threshold()
for scope in ("sandbox", "program", "provider"):
    _sdk.install(scope)
print(json.dumps({
    "same": [n for n in names if current()[n] == before[n]],
    "gc": gc.get_threshold() == threshold,
    "states": sorted({s.state for s in _sdk.status()}),
}))
"""


def _installed_in_a_fresh_process(setting: str) -> dict[str, Any]:
    env = {**os.environ, _sdk.SWITCH: setting}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(REPLACED)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_off_leaves_every_sdk_name_and_the_gc_untouched() -> None:
    off = _installed_in_a_fresh_process("off")
    assert off == {"same": list(REPLACED), "gc": True, "states": ["off", "on"]}  # "on": pickler


def test_on_replaces_them_the_check_above_can_tell() -> None:
    on = _installed_in_a_fresh_process("all")
    assert on["same"] == [], "every name is replaced when every repair is on"
    assert on["gc"] is False


def test_a_private_name_that_is_gone_says_which_sdk_lacks_it() -> None:
    with pytest.raises(
        _sdk.SdkInternalsMissingError, match=r"pulumi\.automation\._server\.Gone.*SDK 3\.272\.0"
    ):
        _sdk.private("pulumi.automation._server", "Gone")


def test_doctor_reports_versions_repairs_and_settings_without_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = "doctor-test-key-0123456789abcdef"
    monkeypatch.setenv("KONTENT_API_KEY", key)
    monkeypatch.setenv("KONTENT_ENVIRONMENT_ID", "11111111-2222-3333-4444-555555555555")
    monkeypatch.delenv("KONTENT_BASE_URL", raising=False)
    monkeypatch.setenv(_sdk.SWITCH, "off")
    out = io.StringIO()
    report(out, probe=lambda environ: f"probed with {environ['KONTENT_API_KEY'] == key}")
    text = out.getvalue()
    assert key not in text
    assert "Pulumi CLI: " in text
    assert "Pulumi Python SDK: 3.272.0" in text
    assert "  stack-traces [program]: off: KONTENT_SDK_REPAIRS=off" in text
    assert "  kontent:apiKey: set by KONTENT_API_KEY (not shown)" in text
    assert "  kontent:baseUrl: KONTENT_BASE_URL not set" in text
    assert "API answers: probed with True" in text
    assert "refresh/destroy: PULUMI_RUN_PROGRAM" in text
    assert "Rate-limit ledgers and locks: " in text


def test_doctor_does_not_call_the_api_unconfigured(monkeypatch: pytest.MonkeyPatch) -> None:
    from kontent_resources.doctor import api_answer

    monkeypatch.delenv("KONTENT_API_KEY", raising=False)
    assert api_answer(os.environ).startswith("not checked")


@pytest.fixture
def sandbox_repairs() -> Iterator[None]:
    _sdk.uninstall("sandbox")
    yield
    _sdk.uninstall("sandbox")


def _engine_root(tmp_path: Path, version: str) -> Path:
    """A folder whose ``bin/pulumi`` answers ``pulumi version`` and writes down that it was asked."""
    (tmp_path / "bin").mkdir()
    script = tmp_path / "bin" / "pulumi"
    script.write_text(f'#!/bin/sh\necho "$*" >> "{tmp_path / "asked"}"\necho v{version}\n')
    script.chmod(0o755)
    return tmp_path


def test_the_engine_built_here_is_not_asked_its_version(
    sandbox_repairs: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pulumi.automation import PulumiCommand

    from kontent_resources._sdk import sandbox as sdk_sandbox

    root = _engine_root(tmp_path, "3.277.0")
    monkeypatch.setenv(_sdk.SWITCH, "on")
    _sdk.install("sandbox")
    known = sdk_sandbox.pulumi_command(root, "3.277.0")
    assert not (tmp_path / "asked").exists(), "the CLI was not run"
    asked = PulumiCommand(root=str(root), skip_version_check=True)
    assert (tmp_path / "asked").read_text() == "version\n"
    assert type(known) is PulumiCommand
    assert vars(known) == vars(asked), "the same handle the SDK makes by asking"
    assert sdk_sandbox.pulumi_command(root, None).version == asked.version  # another engine: asked


@pytest.mark.parametrize("setting", ["off", "all,-engine-version-known"])
def test_switched_off_the_engine_is_asked(
    sandbox_repairs: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    from kontent_resources._sdk import sandbox as sdk_sandbox

    root = _engine_root(tmp_path, "3.277.0")
    monkeypatch.setenv(_sdk.SWITCH, setting)
    _sdk.install("sandbox")
    sdk_sandbox.pulumi_command(root, "3.277.0")
    assert (tmp_path / "asked").read_text() == "version\n"


def test_on_another_sdk_the_engine_is_asked(
    sandbox_repairs: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pulumi.automation import _cmd

    from kontent_resources._sdk import sandbox as sdk_sandbox

    root = _engine_root(tmp_path, "3.277.0")
    monkeypatch.setenv(_sdk.SWITCH, "on")
    shipped = _cmd.PulumiCommand.__init__

    def another_sdks_constructor(self: Any, *args: Any, **kwargs: Any) -> None:
        shipped(self, *args, **kwargs)

    monkeypatch.setattr(_cmd.PulumiCommand, "__init__", another_sdks_constructor)
    _sdk.install("sandbox")
    assert _state_of("engine-version-known") == "skipped"
    sdk_sandbox.pulumi_command(root, "3.277.0")
    assert (tmp_path / "asked").read_text() == "version\n"


def _state_of(name: str) -> str:
    return next(s.state for s in _sdk.status(["sandbox"]) if s.name == name)
