"""What the sandbox (``python -m kontent_resources.sandbox``) takes from the SDK, and its own process.

* ``gc-threshold`` (``install("sandbox")``, only in the sandbox's own process, which runs the
  program inline): each resource allocates a few hundred objects that live to the end of the
  program, so the cyclic collector's young-generation passes (every 700 allocations) find almost
  nothing and rescan an ever larger heap. The first threshold is raised to 20,000 (the later two
  are kept), only when it is still Python's default. A program run by Pulumi's own language host
  keeps Python's default: the process is the user's.
* ``heap-freeze-at-exit``: the sandbox process freezes its heap before it exits, so interpreter
  shutdown does not walk every object the program made (``freeze_heap_at_exit``).
* ``engine-version-known``: the Automation API's handle on the engine this package built
  (``scripts/build-engine.sh``, whose version the sandbox knows) is made without running
  ``pulumi version`` first, as ``PulumiCommand()`` does on every sandbox command (0.3 s each).
  Any other engine, and an SDK whose ``PulumiCommand.__init__`` differs, gets ``PulumiCommand()``.

The private Automation API names the sandbox's CLI-like runs (``ProjectRunner.run_as_cli``) need
are loaded here, when used, with an error naming the SDK version if they are gone.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kontent_resources._sdk._core import (
    Repair,
    SdkInternalsMissingError,
    Target,
    private,
    register,
    sdk_version,
)

if TYPE_CHECKING:
    from pulumi import automation as auto

_PYTHON_DEFAULT_GC_THRESHOLD = 700
_GC_THRESHOLD = 20_000


def raise_gc_threshold() -> list[tuple[Any, str, Any]]:
    """Collect young objects every 20,000 allocations instead of 700, unless the program chose."""
    first, *later = gc.get_threshold()
    if first == _PYTHON_DEFAULT_GC_THRESHOLD:
        gc.set_threshold(_GC_THRESHOLD, *later)
        return [(_GcThreshold(), "first", first)]
    return []


class _GcThreshold:
    """``setattr(_GcThreshold(), "first", n)`` puts the first threshold back (for ``uninstall``)."""

    def __setattr__(self, _name: str, value: int) -> None:
        gc.set_threshold(value, *gc.get_threshold()[1:])


def _replaces_nothing() -> list[tuple[Any, str, Any]]:
    return []  # the code that acts asks whether the repair is on (freeze_heap_at_exit, pulumi_command)


register(
    Repair(
        "gc-threshold",
        "sandbox",
        "the sandbox process collects young objects every 20,000 allocations instead of 700",
        "off costs +6.8% program CPU, +28.7% wall (1,000 assets, no-change preview)",
        (),
        raise_gc_threshold,
        lambda: (
            None
            if gc.get_threshold()[0] == _PYTHON_DEFAULT_GC_THRESHOLD
            else "the process set its own threshold"
        ),
    )
)
_FREEZE = register(
    Repair(
        "heap-freeze-at-exit",
        "sandbox",
        "the sandbox process freezes its heap before it exits",
        "off costs +14.8% wall (1,000 assets, no-change preview); 3 s of 30 s at 5,000",
        (),
        _replaces_nothing,
    )
)


_CMD = "pulumi.automation._cmd"


def _command_class() -> type[auto.PulumiCommand]:
    command_class: type[auto.PulumiCommand] = private(_CMD, "PulumiCommand")
    return command_class


_KNOWN_ENGINE = register(
    Repair(
        "engine-version-known",
        "sandbox",
        "the sandbox does not run `pulumi version` before each command on the engine it built",
        "off costs +0.3 s a sandbox command (a no-change preview of 1,000 assets: 4.7 s)",
        (Target(_CMD, "PulumiCommand.__init__", "e67b453c3c3d0c31", lambda: _command_class().__init__),),
        _replaces_nothing,
    )
)


def pulumi_command(root: Path, known_version: str | None) -> auto.PulumiCommand:
    """The Automation API's handle on ``root/bin/pulumi``. ``PulumiCommand.__init__`` sets its
    ``command`` and the ``version`` it asks the CLI for; with this repair on and the version known
    (the engine this package built), the handle gets them without the CLI run."""
    command_class = _command_class()
    if known_version is None or not _KNOWN_ENGINE.on:
        return command_class(root=str(root), skip_version_check=True)
    command = command_class.__new__(command_class)
    command.command = str(root / "bin" / "pulumi")
    command.version = private(_CMD, "VersionInfo").parse(known_version)  # the type _cmd uses
    return command


def freeze_heap_at_exit() -> None:
    """Called just before the sandbox process exits (nothing runs after it)."""
    if _FREEZE.on:
        gc.freeze()


def language_server(program: Any) -> Any:
    """The Automation API's inline-program language server for ``program``."""
    return private("pulumi.automation._server", "LanguageServer")(program)


def parse_extra_args(**options: Any) -> list[str]:
    """The CLI flags the Automation API makes of ``Stack.preview``'s options."""
    flags: list[str] = private("pulumi.automation._stack", "_parse_extra_args")(**options)
    return flags


def grpc_channel_options() -> Any:
    """The SDK's gRPC message size limits."""
    return private("pulumi.runtime._grpc_settings", "_GRPC_CHANNEL_OPTIONS")


def run_cli(stack: Any, args: list[str], on_output: Any) -> Any:
    """``stack``'s way of running the CLI in its workspace, with its environment and output."""
    run = getattr(stack, "_run_pulumi_cmd_sync", None)
    if run is None:
        raise SdkInternalsMissingError(
            f"kontent_resources needs pulumi.automation.Stack._run_pulumi_cmd_sync, which the installed "
            f"Pulumi SDK {sdk_version()} does not have (written against 3.272.0)"
        )
    return run(args, on_output)
