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

from kontent_resources._sdk import sandbox as sdk_sandbox
from kontent_resources._userstate import write_if_missing
from kontent_resources.providers.identity import state_written_once_per_run
from kontent_resources.sandbox.engine import ENGINE_VERSION, default_bin_dir, locate_engine
from kontent_resources.sandbox.passphrase import (
    LEGACY_PASSPHRASE,
    PASSPHRASE_VARIABLES,
    NotLegacyStackError,
    given_passphrase,
    passphrase_environment,
)


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

    Nothing reads or writes ~/.pulumi, no update check runs, and no plugin is downloaded. Secrets
    are encrypted with the user's passphrase when the state is kept (``keep=True``; refused with
    the fix when none is set), else with a random one that lives as long as this object.
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
        self.env = self._environment(extra_env or {}, kept=not self._remove_on_close)
        self.home.mkdir(parents=True, exist_ok=True)
        self.backend.mkdir(parents=True, exist_ok=True)
        # The state may sit inside a project checkout (.kontent/): it never belongs in git.
        write_if_missing(self.root / ".gitignore", "# kept by kontent_resources.sandbox: state only\n*\n")

    def _environment(self, extra: Mapping[str, str], *, kept: bool) -> dict[str, str]:
        env = dict(os.environ)
        env.update(passphrase_environment({**env, **extra}, kept=kept))
        # The program's Python (this interpreter's venv) must come first so the language host
        # and the dynamic provider import the same kontent_resources as the caller.
        python_bin = str(Path(sys.executable).parent)
        env["PATH"] = os.pathsep.join([str(self.bin_dir), python_bin, env.get("PATH", "")])
        env.update(
            {
                "PULUMI_HOME": str(self.home),
                "PULUMI_BACKEND_URL": self.backend.as_uri(),
                "PULUMI_SKIP_UPDATE_CHECK": "true",
                "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
                "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
                "PULUMI_DIY_BACKEND_NO_LEGACY_WARNING": "true",
                "PULUMI_PYTHON_CMD": sys.executable,
            }
        )
        # The file backend rewrites the whole state after every step: O(N²) in a stack of N
        # resources (1,000 assets: 161 s instead of 13 s, 1.6 GB instead of 0.25 GB). The state is
        # written once, at the end of every run that ends (failed runs too); after a crash, the next
        # `up` finds what the lost run made by its external ids (README, "Large libraries").
        # PULUMI_SKIP_CHECKPOINTS=false in the caller's environment keeps a write per step.
        env.setdefault("PULUMI_SKIP_CHECKPOINTS", "true")
        env.pop("PULUMI_ACCESS_TOKEN", None)
        env.update(extra)
        return env

    @property
    def writes_state_once_per_run(self) -> bool:
        """Whether the engine skips per-step checkpoints (how Pulumi reads the variable)."""
        return state_written_once_per_run(self.env)

    def _completed(
        self,
        args: Sequence[str],
        cwd: Path,
        *,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        timeout: float = 600,
    ) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / "pulumi"), *args, "--non-interactive"]
        return subprocess.run(
            command,
            cwd=cwd,
            env=self.env if env is None else env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def run(
        self,
        args: Sequence[str],
        cwd: Path,
        *,
        check: bool = True,
        timeout: float = 600,
        stdin: str | None = None,
    ) -> str:
        """Run ``pulumi ARGS`` in ``cwd``; return stdout, raise PulumiRunError on failure."""
        proc = self._completed(args, cwd, stdin=stdin, timeout=timeout)
        if check and proc.returncode != 0:
            raise PulumiRunError(args, proc.returncode, proc.stdout, proc.stderr)
        return proc.stdout

    def passphrase_environment(self) -> dict[str, str]:
        """The variables that open this sandbox's secrets, for a CLI process started on the same state."""
        return given_passphrase(self.env)

    def set_secret(self, cwd: Path, stack: str, key: str, value: str) -> None:
        """``pulumi config set --secret KEY`` with the value on stdin, never in an argument list."""
        self.run(["config", "set", "--secret", "--stack", stack, key], cwd, stdin=value + "\n")

    def interactive(self, args: Sequence[str], cwd: Path) -> int:
        """Run ``pulumi ARGS`` as the user typed it: their terminal, their stdin, their confirmations."""
        command = [str(self.bin_dir / "pulumi"), *args]
        return subprocess.run(command, cwd=cwd, env=self.env, check=False).returncode

    def selected_stack(self, cwd: Path) -> str | None:
        proc = self._completed(["stack", "--show-name"], cwd)
        name = proc.stdout.strip()
        return name if proc.returncode == 0 and name else None

    def select_stack(self, cwd: Path, stack: str, *, create: bool) -> None:
        """Select ``stack`` for the CLI commands that follow (created if asked; else only if it exists)."""
        self.run(["stack", "select", stack, *(["--create"] if create else [])], cwd, check=create)

    def migrate_legacy_passphrase(self, cwd: Path, stack: str) -> None:
        """Re-encrypt a stack written with the old constant passphrase with the user's own one.

        The CLI reads the old passphrase from the environment and, non-interactively, the new one
        from stdin: neither appears in an argument list.
        """
        given = given_passphrase(self.env)
        new = given.get("PULUMI_CONFIG_PASSPHRASE")
        if new is None:
            new = Path(given["PULUMI_CONFIG_PASSPHRASE_FILE"]).expanduser().read_text().strip()
        legacy = {key: value for key, value in self.env.items() if key not in PASSPHRASE_VARIABLES}
        legacy["PULUMI_CONFIG_PASSPHRASE"] = LEGACY_PASSPHRASE
        args = ["stack", "change-secrets-provider", "passphrase", "--stack", stack]
        proc = self._completed(args, cwd, env=legacy, stdin=new + "\n")
        if proc.returncode != 0 and "incorrect passphrase" in proc.stderr:
            raise NotLegacyStackError(stack)
        if proc.returncode != 0:
            raise PulumiRunError(args, proc.returncode, proc.stdout, proc.stderr)

    def export_state(self, cwd: Path, stack: str) -> dict[str, Any]:
        raw = self.run(["stack", "export", "--stack", stack], cwd)
        result: dict[str, Any] = json.loads(raw)
        return result

    def automation_options(self, work_dir: Path | None = None) -> auto.LocalWorkspaceOptions:
        """Options that make an Automation API workspace use this sandbox and this engine."""
        built_here = ENGINE_VERSION if self.bin_dir == default_bin_dir() else None
        command = sdk_sandbox.pulumi_command(self.bin_dir.parent, built_here)
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
