"""Run a Pulumi project directory (Pulumi.yaml + Python program) through the Automation API.

The Python language host cannot be built here (see scripts/build-engine.sh), so the program runs
inline in this process while the real engine does everything else: the same Pulumi.yaml, stack
config files, backend and dynamic providers as ``pulumi up`` in that directory would use.
"""

from __future__ import annotations

import os
import runpy
import sys
from collections.abc import Callable
from concurrent import futures
from pathlib import Path
from typing import Any, Protocol

import grpc
import yaml
from pulumi import automation as auto
from pulumi.runtime.proto import language_pb2_grpc

from kontent_resources._sdk import sandbox as sdk_sandbox
from kontent_resources.sandbox.workspace import HermeticPulumi

OutputSink = Callable[[str], Any]


class Connection(Protocol):
    """Where an environment is: what the emulator helpers (and a real environment's settings) give."""

    environment_id: str
    api_key: str

    @property
    def base_url(self) -> str: ...


# refresh and destroy run the program, as `pulumi refresh --run-program` does: without it the engine
# configures the providers from the state, with the key and base URL of the last `up`, so a rotated
# key fails (401) and a wrong one goes unnoticed until the next `up`.
RUN_PROGRAM = True


def read_project(project_dir: Path) -> tuple[str, Path]:
    """Project name and program folder, as the CLI reads them from Pulumi.yaml."""
    settings = yaml.safe_load((project_dir / "Pulumi.yaml").read_text())
    main = settings.get("main") or "."
    return str(settings["name"]), (project_dir / main).resolve()


def _program_of(program_dir: Path) -> Callable[[], None]:
    """The program folder's ``__main__.py`` as an inline program, run where the CLI would run it."""

    def program() -> None:
        # The language host runs programs from their own folder, so relative paths in user
        # programs (files/logo.png) resolve the same way here. Resources read their files while
        # the program registers them, so the caller's folder can be restored afterwards.
        caller_dir = Path.cwd()
        os.chdir(program_dir)
        if str(program_dir) not in sys.path:
            sys.path.insert(0, str(program_dir))
        try:
            runpy.run_path(str(program_dir), run_name="__main__")
        finally:
            os.chdir(caller_dir)

    return program


def _cli_command(command: str, preview_only: bool) -> list[str]:
    """The CLI's words for ``command``: refresh and destroy run the program (``RUN_PROGRAM``)."""
    if command == "preview" or (command == "up" and preview_only):
        return ["preview"]
    how = ["--preview-only"] if preview_only else ["--yes", "--skip-preview"]
    runs_program = [f"--run-program={str(RUN_PROGRAM).lower()}"] if command in ("refresh", "destroy") else []
    return [command, *how, *runs_program]


_STACK_AND_PROVIDER = 2  # pulumi:pulumi:Stack and pulumi:providers:pulumi-python


def _declare_identity() -> None:
    from kontent_resources.resources._identity import stack_seed

    stack_seed()


class ProjectRunner:
    """One stack of one project directory in a hermetic sandbox."""

    def __init__(
        self, project_dir: Path, sandbox: HermeticPulumi, stack: str = "dev", *, isolated: bool = False
    ) -> None:
        """``isolated`` keeps stack config files in the sandbox instead of the project folder."""
        self.sandbox = sandbox
        name, program_dir = read_project(project_dir.resolve())
        self.work_dir = self._isolated_copy(project_dir, program_dir) if isolated else project_dir.resolve()
        self.program = _program_of(program_dir)
        self.stack = auto.create_or_select_stack(
            stack_name=stack,
            project_name=name,
            program=self.program,
            opts=sandbox.automation_options(self.work_dir),
        )

    def _isolated_copy(self, project_dir: Path, program_dir: Path) -> Path:
        settings = yaml.safe_load((project_dir / "Pulumi.yaml").read_text())
        settings["main"] = str(program_dir)
        work_dir = self.sandbox.root / "project"
        work_dir.mkdir(parents=True, exist_ok=True)
        (work_dir / "Pulumi.yaml").write_text(yaml.safe_dump(settings))
        return work_dir

    def set_config(self, values: dict[str, str], *, secret_keys: frozenset[str] = frozenset()) -> None:
        """Secrets go to the CLI on stdin: the Automation API would put them in an argument list."""
        plain = {key: auto.ConfigValue(value) for key, value in values.items() if key not in secret_keys}
        if plain:
            self.stack.set_all_config(plain)
        for key in secret_keys & values.keys():
            self.sandbox.set_secret(self.work_dir, self.stack.name, key, values[key])

    def use_environment(self, connection: Connection, *, client_rate_limit: bool = True) -> None:
        """Point the stack's kontent:* config at an environment (the emulator, usually).

        ``client_rate_limit=False`` switches the provider's own limiter off, for an emulator that
        runs without limits.
        """
        values = {
            "kontent:environmentId": connection.environment_id,
            "kontent:baseUrl": connection.base_url,
            "kontent:apiKey": connection.api_key,
        }
        if not client_rate_limit:
            values["kontent:maxRequestsPerSecond"] = "0"
        self.set_config(values, secret_keys=frozenset({"kontent:apiKey"}))

    def up(self, *, on_output: OutputSink | None = None, expect_no_changes: bool = False) -> auto.UpResult:
        self.record_identity_first(on_output=on_output)
        return self.stack.up(on_output=on_output, expect_no_changes=expect_no_changes or None)

    def record_identity_first(self, *, on_output: OutputSink | None = None) -> None:
        """Record a new stack's identity in its state before its first run makes anything
        (one of the identity rules ``providers/identity.py`` states).

        Generated external ids derive from the random seed of the stack's ``StackIdentity``. With
        the state written once per run (the sandbox's default), a first ``up`` killed midway
        would lose the seed with the rest of the run, and the next ``up`` would make everything
        again under new ids. So on a stack without resources, a run of the identity alone (one
        resource, written when it ends) comes first; later runs find the seed in the state. (A
        program whose resources all have external ids of their own does not keep one: the CLI's ``up``
        leaves this run out when its preview creates no StackIdentity, which would otherwise show as
        a delete in that very ``up``; without a preview, the program's first run removes it again.)
        """
        if not self.sandbox.writes_state_once_per_run:
            return  # a checkpoint per step records the identity as soon as it is made
        if not self._holds_only_pulumis_own_resources():
            return  # not a new stack: running the identity alone would delete the rest
        self.run_as_cli("up", on_output=on_output, program=_declare_identity)

    def _holds_only_pulumis_own_resources(self) -> bool:
        """No resource but the stack and its default provider (a new or destroyed stack)."""
        # The count first: exporting a large state to look at it costs seconds on every `up`.
        summary = next((s for s in self.stack.workspace.list_stacks() if s.name == self.stack.name), None)
        count = summary.resource_count if summary is not None else None
        if count is not None and count > _STACK_AND_PROVIDER:
            return False
        if count == 0:
            return True  # a new stack (or a destroyed one): nothing to look at
        resources = self.export_state().get("resources") or []
        return all(r["type"].startswith("pulumi:") for r in resources)

    def preview(
        self, *, on_output: OutputSink | None = None, expect_no_changes: bool = False
    ) -> auto.PreviewResult:
        return self.stack.preview(on_output=on_output, expect_no_changes=expect_no_changes or None)

    def run_as_cli(
        self,
        command: str,
        *,
        on_output: OutputSink | None = None,
        preview_only: bool = False,
        json: bool = False,
        show_secrets: bool = False,
        program: Callable[[], None] | None = None,
        **options: Any,
    ) -> None:
        """``pulumi COMMAND`` as the CLI runs it (``up``, ``preview``, ``refresh``, ``destroy``; the
        three that change something with ``--yes --skip-preview``, or ``preview_only``): the program
        inline, the CLI's text, nothing else.

        The Automation API's own methods do more than a user's ``pulumi up`` does, for results the
        sandbox's command line never prints: its previews have the engine stream every event to this
        process, which decodes each one for a change summary (4.5 s of CPU in a no-change preview
        of 5,000 files), and after an ``up``, ``refresh`` or ``destroy`` it runs the CLI two or three
        times more (``stack output`` twice, ``stack history``: 1.2 s after an ``up`` of 1,000 assets).
        ``options`` are ``Stack.up``'s (``diff``, ``target``, ``message`` …) and mean what they mean there;
        ``program`` runs instead of the project's.
        """
        # As Stack.up starts it, with the SDK's message size limits.
        server = grpc.server(
            futures.ThreadPoolExecutor(max_workers=4), options=sdk_sandbox.grpc_channel_options()
        )
        language_pb2_grpc.add_LanguageRuntimeServicer_to_server(
            sdk_sandbox.language_server(program or self.program), server
        )
        port = server.add_insecure_port("127.0.0.1:0")
        server.start()
        args = [*_cli_command(command, preview_only), *sdk_sandbox.parse_extra_args(**options)]
        args += ["--json"] if json else []
        args += ["--show-secrets"] if show_secrets else []
        args += [f"--client=127.0.0.1:{port}", "--exec-kind", "auto.inline"]
        try:
            sdk_sandbox.run_cli(self.stack, args, on_output)
        finally:
            server.stop(0)

    def refresh(
        self, *, on_output: OutputSink | None = None, expect_no_changes: bool = False
    ) -> auto.RefreshResult:
        return self.stack.refresh(
            on_output=on_output, expect_no_changes=expect_no_changes or None, run_program=RUN_PROGRAM
        )

    def destroy(self, *, on_output: OutputSink | None = None) -> auto.DestroyResult:
        return self.stack.destroy(on_output=on_output, run_program=RUN_PROGRAM)

    def outputs(self) -> dict[str, Any]:
        return {key: value.value for key, value in self.stack.outputs().items()}

    def export_state(self) -> dict[str, Any]:
        return dict(self.stack.export_stack().deployment or {})
