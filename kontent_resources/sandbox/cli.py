"""The sandbox's command line: program commands run inline beside the real engine, the rest to the CLI."""

from __future__ import annotations

import argparse
import os
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from kontent_resources.sandbox.display import EngineDisplay
from kontent_resources.sandbox.passphrase import PassphraseError
from kontent_resources.sandbox.project import ProjectRunner, read_project
from kontent_resources.sandbox.stack_files import secret_config, warn_about_plaintext_key
from kontent_resources.sandbox.workspace import HermeticPulumi, PulumiRunError

PROGRAM_COMMANDS = ("up", "preview", "refresh", "destroy")
SHORTCUTS = {"outputs": ["stack", "output", "--json"], "export": ["stack", "export"]}
_VERBS = {"up": "update", "refresh": "refresh", "destroy": "destroy"}


class UsageError(RuntimeError):
    """A command the sandbox cannot run as given; the message starts with the fix."""


def _global_parser(doc: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m kontent_resources.sandbox",
        description=doc,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="folder holding Pulumi.yaml")
    parser.add_argument("--stack", help="stack name (default: the selected stack, else dev)")
    parser.add_argument("--state-dir", type=Path, help="backend and PULUMI_HOME (default PROJECT/.kontent)")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks of failures")
    parser.add_argument("command", help="up, preview, refresh, destroy, or any pulumi CLI command")
    parser.add_argument("arguments", nargs=argparse.REMAINDER, help="the command's own options")
    return parser


def _program_parser(command: str) -> argparse.ArgumentParser:
    """The options of ``pulumi COMMAND`` that the Automation API can pass on."""
    parser = argparse.ArgumentParser(prog=f"python -m kontent_resources.sandbox {command}")
    if command != "preview":
        parser.add_argument("--yes", "-y", action="store_true", help="apply without asking")
        parser.add_argument("--skip-preview", action="store_true", help="apply without a preview")
    if command != "refresh":
        parser.add_argument("--diff", action="store_true")
    if command in ("up", "preview"):
        parser.add_argument("--replace", action="append", metavar="URN")
        parser.add_argument("--refresh", action="store_true")
    if command != "destroy":
        parser.add_argument("--expect-no-changes", action="store_true")
    if command == "refresh":
        parser.add_argument("--clear-pending-creates", action="store_true")
    if command == "preview":
        parser.add_argument("--json", action="store_true")
    parser.add_argument("--target", "-t", action="append", metavar="URN")
    parser.add_argument("--target-dependents", action="store_true")
    parser.add_argument("--parallel", "-p", type=int)
    parser.add_argument("--message", "-m")
    if command in ("up", "preview"):
        parser.add_argument("--show-secrets", action="store_true", help="secret outputs in plaintext")
    return parser


def _engine_options(options: argparse.Namespace, output: Callable[[str], Any]) -> dict[str, Any]:
    """The options given, named as `Stack.up`'s keyword arguments (absent means the CLI default)."""
    names = ("diff", "replace", "refresh", "expect_no_changes", "clear_pending_creates", "json",
             "target", "target_dependents", "parallel", "message", "show_secrets")  # fmt: skip
    given = {name: getattr(options, name, None) for name in names}
    return {
        "on_output": output,
        **{name: value for name, value in given.items() if value not in (None, False)},
    }


def _confirmed(command: str, yes: bool) -> bool:
    if yes:
        return True
    verb = _VERBS[command]
    if not sys.stdin.isatty():
        raise UsageError(
            f"fix: pass --yes to perform this {verb} (or --skip-preview --yes to skip the preview too).\n"
            f"The preview above shows what it would change; without a terminal to ask, nothing was done."
        )
    answer = input(f"Do you want to perform this {verb}? [yes/no] ")
    return answer.strip().lower() in ("y", "yes")


def _apply(runner: ProjectRunner, command: str, options: argparse.Namespace, display: EngineDisplay) -> int:
    engine = _engine_options(options, display)
    if command == "preview":
        runner.run_as_cli("preview", **engine)
        return 0
    if not options.skip_preview:
        display.phase = "preview"
        display.plans_identity = False  # until the preview shows it
        # A preview clears nothing: the pending creates go when the refresh itself runs.
        runner.run_as_cli(command, preview_only=True, **{**engine, "clear_pending_creates": None})
        if not _confirmed(command, options.yes):
            display("No changes were made: the update was not confirmed.")
            return 1
    display.phase = command
    if command == "up" and display.plans_identity is not False:
        # Not for a program that does not keep one: it would show as a delete in this very up.
        runner.record_identity_first(on_output=display)
    runner.run_as_cli(command, **engine)
    return 0


def _print(line: str) -> None:
    print(line, end="" if line.endswith("\n") else "\n", flush=True)


def _state_dir(args: argparse.Namespace, project: Path) -> Path:
    if args.state_dir:
        return Path(args.state_dir).resolve()  # the user's own choice, symlink or not
    default = project / ".kontent"
    if default.is_symlink():
        # A cloned or unpacked folder can carry one: the state (and its secrets) would go wherever
        # the folder's author pointed it.
        raise UsageError(
            f"{default} is a symbolic link (to {os.readlink(default)}); the sandbox keeps its state "
            "only in a real folder. Remove the link, or pass --state-dir to choose where it goes."
        )
    return default.resolve()


def _refuse_printing_secret(project: Path, stack: str, arguments: Sequence[str]) -> list[str]:
    """``config get`` of a secret prints it only with ``--show-secrets`` (which the CLI lacks there)."""
    rest = [argument for argument in arguments if argument != "--show-secrets"]
    asked = len(rest) < len(arguments)
    getting = rest[:2] == ["config", "get"]
    if getting and not asked and any(secret_config(project, stack, key) for key in rest[2:]):
        raise UsageError(
            f"fix: add --show-secrets to print a secret ({' '.join(rest[2:])}); "
            "it stays encrypted in Pulumi.<stack>.yaml."
        )
    return rest


def _pass_through(sandbox: HermeticPulumi, project: Path, stack: str, arguments: Sequence[str]) -> int:
    # `stack …` commands (init, ls, select, rename) manage stacks themselves: select only one that exists.
    sandbox.select_stack(project, stack, create=arguments[:1] != ["stack"])
    code = sandbox.interactive(_refuse_printing_secret(project, stack, arguments), project)
    if arguments[:1] == ["config"]:
        warn_about_plaintext_key(project, stack)
    return code


def run(args: argparse.Namespace, display: EngineDisplay) -> int:
    project = args.project.resolve()
    read_project(project)  # a missing or broken Pulumi.yaml fails here, before any state is made
    with HermeticPulumi(_state_dir(args, project), keep=True) as sandbox:
        stack = args.stack or sandbox.selected_stack(project) or "dev"
        command = args.command
        if command in PROGRAM_COMMANDS:
            options = _program_parser(command).parse_args(args.arguments)
            warn_about_plaintext_key(project, stack)
            return _apply(ProjectRunner(project, sandbox, stack), command, options, display)
        if command == "migrate-passphrase":
            sandbox.migrate_legacy_passphrase(project, stack)
            print(f"Stack {stack}: secrets re-encrypted with your passphrase.")
            return 0
        return _pass_through(sandbox, project, stack, [*SHORTCUTS.get(command, [command]), *args.arguments])


def _failure_message(failure: BaseException, display: EngineDisplay) -> str:
    display.finish()
    if isinstance(failure, auto.CommandError) and display.errors:
        # The engine's output above already named each error once, with its fix.
        outcome = (
            "nothing was changed" if display.phase == "preview"
            else "only the changes listed above as done were made"
        )  # fmt: skip
        what = _VERBS.get(display.phase, display.phase)
        return f"error: the {what} failed ({display.errors} error(s) above); {outcome}."
    if isinstance(failure, PulumiRunError):
        command = " ".join(failure.args_)
        return failure.stderr.strip() or f"error: pulumi {command} exited {failure.returncode}"
    return str(failure)


def _quiet_output_readers(hook: Any) -> None:
    """On Ctrl-C the automation API closes the engine's output pipes while its reader threads still
    read them; their ValueError is the interrupt, already reported, not a second failure."""

    def excepthook(args: threading.ExceptHookArgs) -> None:
        closed_pipe = isinstance(args.exc_value, ValueError) and "closed file" in str(args.exc_value)
        if closed_pipe and args.thread is not None and args.thread.name.endswith("(consumer)"):
            return
        hook(args)

    threading.excepthook = excepthook


def main(argv: list[str] | None = None, *, doc: str | None = None) -> int:
    args = _global_parser(doc).parse_args(argv)
    display = EngineDisplay(_print, debug=args.debug)
    if not args.debug:
        _quiet_output_readers(threading.excepthook)
    try:
        return run(args, display)
    except (auto.CommandError, PulumiRunError, UsageError, PassphraseError, FileNotFoundError) as failure:
        if args.debug:
            traceback.print_exc()
        print(_failure_message(failure, display), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted: run `cancel --yes` if a later command says the stack is locked.", file=sys.stderr)
        return 130
