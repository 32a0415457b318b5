"""Issue 31: the projects in this repository find one virtualenv in the standard CLI's two processes.

The Python language host resolves a relative ``virtualenv`` option from the project root (the folder
of Pulumi.yaml: ``resolveVirtualEnvironmentPath(root, virtualenv)`` in the SDK's python/toolchain).
The engine starts the dynamic provider through ``pulumi-resource-pulumi-python`` with the option in
``PULUMI_RUNTIME_VIRTUALENV`` and its working directory set to the program folder (``main:``), and
that script resolves the option from there (pulumi/pulumi#7061). The language host is not available
here, so its side is the documented rule; the provider's side is the real script, run as the engine
runs it.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import psutil
import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
PROJECTS = sorted(p.parent for p in [REPO_ROOT / "Pulumi.yaml", *REPO_ROOT.glob("programs/*/Pulumi.yaml")])

pytestmark = pytest.mark.e2e


def _settings(project: Path) -> tuple[str, Path]:
    settings = yaml.safe_load((project / "Pulumi.yaml").read_text())
    virtualenv = settings["runtime"]["options"]["virtualenv"]
    return virtualenv, (project / (settings.get("main") or ".")).resolve()


def _provider_python(engine_bin: Path, program_dir: Path, virtualenv: str) -> str:
    """The interpreter the provider launcher starts, as the engine starts it; its first line is its port."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_RUNTIME_")}
    env.update({"PULUMI_RUNTIME_VIRTUALENV": virtualenv, "PULUMI_RUNTIME_TOOLCHAIN": "pip"})
    launcher = subprocess.Popen(
        [str(engine_bin / "pulumi-resource-pulumi-python")],
        cwd=program_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        assert launcher.stdout is not None
        port = launcher.stdout.readline().strip()
        problem = launcher.stderr.read() if launcher.stderr and not port.isdigit() else ""
        assert port.isdigit(), f"the provider did not start: {problem}"
        children = psutil.Process(launcher.pid).children(recursive=True)
        return next(c.cmdline()[0] for c in children if "pulumi.dynamic" in c.cmdline())
    finally:
        os.killpg(launcher.pid, signal.SIGKILL)
        launcher.wait(timeout=10)


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: str(p.relative_to(REPO_ROOT)) or "root")
def test_program_and_provider_use_the_same_virtualenv(engine_bin: Path, project: Path) -> None:
    virtualenv, program_dir = _settings(project)
    language_host_venv = (project / virtualenv).resolve()
    assert (language_host_venv / "bin" / "python").exists(), "the README's set-up makes this virtualenv"
    provider_python = _provider_python(engine_bin, program_dir, virtualenv)
    assert Path(provider_python).parent.parent.resolve() == language_host_venv
