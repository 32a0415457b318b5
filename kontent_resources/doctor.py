"""``kontent-resources doctor``: what this machine runs and how this package is set up on it.

Prints the Pulumi CLI (and the sandbox's engine) and SDK versions; each repair of the SDK
(kontent_resources/_sdk), on or off and why; which kontent:* settings the environment variables
give; whether refresh and destroy run the program (and so use today's key); where the per-user
state lives; and, when the variables give an environment and a key, whether the API answers them
(one request). The key is never printed, whole or in part.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from typing import TextIO

_SETTINGS = (
    ("kontent:environmentId", "KONTENT_ENVIRONMENT_ID"),
    ("kontent:apiKey", "KONTENT_API_KEY"),
    ("kontent:baseUrl", "KONTENT_BASE_URL"),
)
_PROBE_TIMEOUT_SECONDS = 15.0


def pulumi_cli_version() -> str:
    found = shutil.which("pulumi")
    if found is None:
        return "not found on PATH"
    try:
        done = subprocess.run([found, "version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as failure:
        return f"{found}: did not answer `pulumi version` ({failure})"
    version = done.stdout.strip() or done.stderr.strip()
    return f"{version} ({found})"


def sandbox_engine() -> str:
    """The engine the sandbox runs (built into the cache by scripts/build-engine.sh), if it is there."""
    from kontent_resources.sandbox.engine import EngineNotFoundError, locate_engine

    try:
        return str(locate_engine(build=False))
    except EngineNotFoundError:
        return "not built (scripts/build-engine.sh builds it)"


def run_program_setting(environ: dict[str, str] | os._Environ[str]) -> str:
    """Whether `pulumi refresh` and `destroy` will configure the provider from today's config."""
    if environ.get("PULUMI_RUN_PROGRAM", "").lower() in ("1", "true"):
        return "PULUMI_RUN_PROGRAM=true: refresh and destroy use the configuration set now"
    return (
        "PULUMI_RUN_PROGRAM not set: plain `pulumi refresh`/`destroy` use the key and base URL the last "
        "`up` recorded; add --run-program (the sandbox always does)"
    )


def state_folder() -> str:
    from kontent_resources._userstate import state_dir

    try:
        return f"{state_dir()} (private to this user)"
    except OSError as refused:
        return f"none: {refused}"


def _scrubbed(text: str, secret: str | None) -> str:
    return text.replace(secret, "<the key>") if secret else text


def api_answer(environ: dict[str, str] | os._Environ[str]) -> str:
    """One request with the settings the environment variables give, described without the key."""
    from kontent_resources.client import KontentClient
    from kontent_resources.providers.settings import ProviderSettings, SettingsError

    key = environ.get("KONTENT_API_KEY")
    if not environ.get("KONTENT_ENVIRONMENT_ID") or not key:
        return "not checked: set KONTENT_ENVIRONMENT_ID and KONTENT_API_KEY (or run it where they are set)"
    try:
        settings = ProviderSettings.resolve(None)
        with KontentClient(  # one request: no retry
            settings.environment_id,
            settings.api_key,
            settings.base_url,
            rate_limit=None,
            retry=None,
            timeout=_PROBE_TIMEOUT_SECONDS,
        ) as client:
            client.folders.get()
    except SettingsError as refused:
        return _scrubbed(f"not checked: {refused}", key)
    except Exception as failure:
        return _scrubbed(f"no: {type(failure).__name__}: {failure}", key)
    return f"yes: {settings.base_url} answered GET /folders for environment {settings.environment_id}"


def report(out: TextIO, *, probe: Callable[[dict[str, str] | os._Environ[str]], str] = api_answer) -> None:
    from kontent_resources import _sdk

    out.write(f"Pulumi CLI: {pulumi_cli_version()}\n")
    out.write(f"Sandbox engine: {sandbox_engine()}\n")
    out.write(f"Pulumi Python SDK: {_sdk.sdk_version()}\n")
    switch = os.environ.get(_sdk.SWITCH)
    out.write(f"SDK repairs ({_sdk.SWITCH}={switch if switch is not None else 'unset: on'}):\n")
    for repair in _sdk.status():
        state = "on" if repair.state == "on" else f"off ({repair.state})" if repair.state != "off" else "off"
        out.write(f"  {repair.name} [{repair.scope}]: {state}: {repair.reason}\n")
    out.write("Configuration from environment variables (stack config, `pulumi config`, comes first):\n")
    for key, variable in _SETTINGS:
        given = bool(os.environ.get(variable))
        if variable == "KONTENT_API_KEY":
            where = f"set by {variable} (not shown)" if given else f"{variable} not set"
        else:
            where = f"{variable}={os.environ[variable]}" if given else f"{variable} not set"
        out.write(f"  {key}: {where}\n")
    out.write(f"refresh/destroy: {run_program_setting(os.environ)}\n")
    out.write(f"Rate-limit ledgers and locks: {state_folder()}\n")
    out.write(f"API answers: {probe(os.environ)}\n")


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    report(sys.stdout)
    return 0
