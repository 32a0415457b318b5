"""A throwaway Pulumi home and file backend, and helpers to drive the CLI inside them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from pulumi import automation as auto

from kontent_resources.sandbox.engine import locate_engine

# A fixed passphrase is fine: the backend lives in a temporary folder and holds emulator data only.
_SANDBOX_PASSPHRASE = "kontent-resources-sandbox"  # noqa: S105


class PulumiRunError(RuntimeError):
    """A Pulumi CLI command exited non-zero; carries its output for the test report."""

    def __init__(self, args: Sequence[str], returncode: int, stdout: str, stderr: str) -> None:
        self.args_ = list(args)
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        command = " ".join(args)
        super().__init__(
            f"pulumi {command} exited {returncode}\n"
            f"--- stdout\n{stdout[-6000:]}\n--- stderr\n{stderr[-6000:]}"
        )


class HermeticPulumi:
    """Pulumi with its own PULUMI_HOME and local backend under ``root`` (a temp dir by default).

    Nothing reads or writes ~/.pulumi, no update check runs, and no plugin is downloaded.
    """

    def __init__(
        self, root: Path | None = None, *, keep: bool = False, extra_env: Mapping[str, str] | None = None
    ) -> None:
        # A caller-given root is kept when asked (a project's .kontent state); temp roots never are.
        self._remove_on_close = root is None or not keep
        self.root = Path(tempfile.mkdtemp(prefix="kontent-pulumi-")) if root is None else root
        self.bin_dir = locate_engine()
        self.home = self.root / "pulumi-home"
        self.backend = self.root / "backend"
        self.home.mkdir(parents=True, exist_ok=True)
        self.backend.mkdir(parents=True, exist_ok=True)
        self.env = self._environment(extra_env or {})

    def _environment(self, extra: Mapping[str, str]) -> dict[str, str]:
        env = dict(os.environ)
        # The program's Python (this interpreter's venv) must come first so the language host
        # and the dynamic provider import the same kontent_resources as the caller.
        python_bin = str(Path(sys.executable).parent)
        env["PATH"] = os.pathsep.join([str(self.bin_dir), python_bin, env.get("PATH", "")])
        env.update(
            {
                "PULUMI_HOME": str(self.home),
                "PULUMI_BACKEND_URL": self.backend.as_uri(),
                "PULUMI_CONFIG_PASSPHRASE": _SANDBOX_PASSPHRASE,
                "PULUMI_SKIP_UPDATE_CHECK": "true",
                "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
                "PULUMI_SKIP_CONFIRMATIONS": "true",
                "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
                "PULUMI_DIY_BACKEND_NO_LEGACY_WARNING": "true",
                "PULUMI_PYTHON_CMD": sys.executable,
            }
        )
        env.pop("PULUMI_ACCESS_TOKEN", None)
        env.update(extra)
        return env

    def run(self, args: Sequence[str], cwd: Path, *, check: bool = True, timeout: float = 600) -> str:
        """Run ``pulumi ARGS`` in ``cwd``; return stdout, raise PulumiRunError on failure."""
        command = [str(self.bin_dir / "pulumi"), *args, "--non-interactive"]
        proc = subprocess.run(
            command, cwd=cwd, env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        if check and proc.returncode != 0:
            raise PulumiRunError(args, proc.returncode, proc.stdout, proc.stderr)
        return proc.stdout

    def export_state(self, cwd: Path, stack: str) -> dict[str, Any]:
        raw = self.run(["stack", "export", "--stack", stack], cwd)
        result: dict[str, Any] = json.loads(raw)
        return result

    def automation_options(self, work_dir: Path | None = None) -> auto.LocalWorkspaceOptions:
        """Options that make an Automation API workspace use this sandbox and this engine."""
        command = auto.PulumiCommand(root=str(self.bin_dir.parent), skip_version_check=True)
        return auto.LocalWorkspaceOptions(
            work_dir=str(work_dir) if work_dir else None,
            pulumi_home=str(self.home),
            pulumi_command=command,
            env_vars=self.env,
        )

    def close(self) -> None:
        if self._remove_on_close:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> HermeticPulumi:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
