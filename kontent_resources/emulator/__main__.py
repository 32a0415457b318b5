"""``python -m kontent_resources.emulator`` / ``kontent-emulator``: run the Management API emulator.

Prints exactly one line on stdout once it accepts requests::

    Kontent.ai emulator listening on http://127.0.0.1:PORT/v2

and stops cleanly on SIGINT/SIGTERM. Without ``--data-dir`` the state lives in a temporary
directory that is removed at exit; with it, the state survives restarts (and crashes).
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

from .app import create_app
from .config import EmulatorOptions
from .server import READY_PREFIX
from .store import DataDirInUseError
from .uvicorn_server import bind_socket, build_server, public_root_for, root_url_for


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The flags, each stored under the name of the ``EmulatorOptions`` field it sets."""
    default = EmulatorOptions()
    parser = argparse.ArgumentParser(
        prog="kontent-emulator", description="Local Kontent.ai Management API v2."
    )
    parser.add_argument("--host", default=default.host, help=f"address to bind (default {default.host})")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (default 0)")
    parser.add_argument("--data-dir", type=Path, help="state directory (default: temporary, removed at exit)")
    parser.add_argument(
        "--environment-id",
        default=default.environment_id,
        help=f"environment id to serve (default {default.environment_id})",
    )
    parser.add_argument(
        "--api-key", default=default.api_key, help=f"API key to accept (Bearer; default {default.api_key})"
    )
    parser.add_argument(
        "--read-only-key", help="a second key that may only read: writes with it answer 403 Forbidden"
    )
    parser.add_argument(
        "--no-rate-limit", dest="rate_limit", action="store_false", help="switch the rate limits off"
    )
    api = ", the API's"
    for flag, dest, what, note in (  # whole numbers of at least 1
        ("--rate-limit-per-second", "per_second", "requests per second per environment", api),
        ("--rate-limit-per-minute", "per_minute", "requests per minute per environment", api),
        ("--page-size", "page_size", "items per list page", ""),
        ("--max-file-size", "max_file_size", "largest file accepted, in bytes", ": the documented 100 MB"),
    ):
        value = getattr(default, dest)
        help_text = f"{what} (default {value:,}{note})"
        parser.add_argument(flag, dest=dest, metavar="N", type=_positive, default=value, help=help_text)
    parser.add_argument(
        "--no-seed", dest="seed", action="store_false", help="start a new data dir without the sample content"
    )
    parser.add_argument(
        "--log-level",
        default=default.log_level,
        choices=["critical", "error", "warning", "info", "debug"],
        help=f"server log level (default {default.log_level})",
    )
    return parser


def serve(options: EmulatorOptions, data_dir: Path) -> None:
    sock = bind_socket(options.host, options.port)
    port = int(sock.getsockname()[1])
    app = create_app(options.config(data_dir, public_root_for(options.host, port)))
    announce = f"{READY_PREFIX}{root_url_for(options.host, port)}/v2"
    try:
        build_server(app, options.log_level, on_ready=lambda: print(announce, flush=True)).run(sockets=[sock])
    finally:
        app.close()
        sock.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    options = EmulatorOptions(**{field.name: getattr(args, field.name) for field in fields(EmulatorOptions)})
    logging.basicConfig(level=options.log_level.upper(), stream=sys.stderr)
    temp_dir = None if options.data_dir else tempfile.mkdtemp(prefix="kontent-emulator-")
    try:
        serve(options, options.data_dir or Path(str(temp_dir)))
    except (DataDirInUseError, OSError) as exc:  # e.g. the port is taken: say so, no traceback
        print(f"kontent-emulator: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
