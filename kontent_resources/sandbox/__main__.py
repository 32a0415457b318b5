"""``python -m kontent_resources.sandbox``: drive a project's stack with the real engine, hermetically.

    python -m kontent_resources.sandbox [--project DIR] [--stack NAME] [--state-dir DIR] COMMAND

Commands: ``up``, ``preview``, ``refresh``, ``destroy``, ``outputs``, ``export``,
``config KEY=VALUE… [--secret KEY…]``. State (backend and PULUMI_HOME) lives in ``--state-dir``,
by default ``.kontent/`` inside the project, so successive commands see the same stack.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kontent_resources.sandbox.project import ProjectRunner
from kontent_resources.sandbox.workspace import HermeticPulumi


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m kontent_resources.sandbox",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="folder holding Pulumi.yaml")
    parser.add_argument("--stack", default="dev")
    parser.add_argument("--state-dir", type=Path, help="backend and PULUMI_HOME (default PROJECT/.kontent)")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("up", "preview", "refresh"):
        sub = commands.add_parser(name)
        sub.add_argument("--expect-no-changes", action="store_true")
    for name in ("destroy", "outputs", "export"):
        commands.add_parser(name)
    config = commands.add_parser("config", help="set stack config: KEY=VALUE …")
    config.add_argument("pairs", nargs="+", metavar="KEY=VALUE")
    config.add_argument("--secret", action="append", default=[], metavar="KEY")
    return parser


def _print(line: str) -> None:
    print(line, end="" if line.endswith("\n") else "\n", flush=True)


def _set_config(runner: ProjectRunner, pairs: list[str], secret_keys: list[str]) -> None:
    values = dict(pair.split("=", 1) for pair in pairs)
    runner.set_config(values, secret_keys=frozenset(secret_keys))


def run(args: argparse.Namespace) -> int:
    project = args.project.resolve()
    state_dir = (args.state_dir or project / ".kontent").resolve()
    with HermeticPulumi(state_dir, keep=True) as sandbox:
        runner = ProjectRunner(project, sandbox, args.stack)
        command = args.command
        if command in ("up", "preview", "refresh"):
            getattr(runner, command)(on_output=_print, expect_no_changes=args.expect_no_changes)
        elif command == "destroy":
            runner.destroy(on_output=_print)
        elif command == "outputs":
            print(json.dumps(runner.outputs(), indent=2, sort_keys=True))
        elif command == "export":
            print(json.dumps(runner.export_state(), indent=2))
        else:
            _set_config(runner, args.pairs, args.secret)
    return 0


def main(argv: list[str] | None = None) -> int:
    return run(_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
