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
from pathlib import Path

from .app import create_app
from .config import (
    DEFAULT_API_KEY,
    DEFAULT_ENVIRONMENT_ID,
    DEFAULT_MAX_FILE_SIZE,
    DEFAULT_PAGE_SIZE,
    DEFAULT_PER_MINUTE,
    DEFAULT_PER_SECOND,
    EmulatorConfig,
    RateLimitSettings,
)
from .server import READY_PREFIX
from .store import DataDirInUseError
from .uvicorn_server import bind_socket, build_server, public_root_for, root_url_for


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kontent-emulator", description="Local Kontent.ai Management API v2."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (default 0)")
    parser.add_argument("--data-dir", type=Path, help="state directory (default: temporary, removed at exit)")
    parser.add_argument(
        "--environment-id",
        default=DEFAULT_ENVIRONMENT_ID,
        help=f"environment id to serve (default {DEFAULT_ENVIRONMENT_ID})",
    )
    parser.add_argument(
        "--api-key", default=DEFAULT_API_KEY, help=f"API key to accept (Bearer; default {DEFAULT_API_KEY})"
    )
    parser.add_argument(
        "--read-only-key", help="a second key that may only read: writes with it answer 403 Forbidden"
    )
    parser.add_argument("--no-rate-limit", action="store_true", help="switch the rate limits off")
    api = ", the API's"
    for flag, default, what, note in (  # whole numbers of at least 1
        ("--rate-limit-per-second", DEFAULT_PER_SECOND, "requests per second per environment", api),
        ("--rate-limit-per-minute", DEFAULT_PER_MINUTE, "requests per minute per environment", api),
        ("--page-size", DEFAULT_PAGE_SIZE, "items per list page", ""),
        (
            "--max-file-size",
            DEFAULT_MAX_FILE_SIZE,
            "largest file accepted, in bytes",
            ": the documented 100 MB",
        ),
    ):
        parser.add_argument(flag, type=_positive, default=default, help=f"{what} (default {default:,}{note})")
    parser.add_argument(
        "--no-seed", action="store_true", help="start a new data dir without the sample content"
    )
    parser.add_argument(
        "--log-level",
        default="warning",
        choices=["critical", "error", "warning", "info", "debug"],
        help="server log level (default warning)",
    )
    return parser


def _config(args: argparse.Namespace, data_dir: Path, public_root: str | None) -> EmulatorConfig:
    return EmulatorConfig(
        data_dir=data_dir,
        environment_id=args.environment_id,
        api_key=args.api_key,
        read_only_key=args.read_only_key,
        rate_limit=RateLimitSettings(
            enabled=not args.no_rate_limit,
            per_second=args.rate_limit_per_second,
            per_minute=args.rate_limit_per_minute,
        ),
        page_size=args.page_size,
        max_file_size=args.max_file_size,
        seed=not args.no_seed,
        public_root=public_root,
    )


def serve(args: argparse.Namespace, data_dir: Path) -> None:
    sock = bind_socket(args.host, args.port)
    port = int(sock.getsockname()[1])
    app = create_app(_config(args, data_dir, public_root_for(args.host, port)))
    announce = f"{READY_PREFIX}{root_url_for(args.host, port)}/v2"
    try:
        build_server(app, args.log_level, on_ready=lambda: print(announce, flush=True)).run(sockets=[sock])
    finally:
        app.close()
        sock.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)
    temp_dir = None if args.data_dir else tempfile.mkdtemp(prefix="kontent-emulator-")
    try:
        serve(args, args.data_dir or Path(str(temp_dir)))
    except (DataDirInUseError, OSError) as exc:  # e.g. the port is taken: say so, no traceback
        print(f"kontent-emulator: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
