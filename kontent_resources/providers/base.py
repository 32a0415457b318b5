"""What every Kontent.ai dynamic provider shares: configuration, the environment, error wording."""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pulumi.dynamic import ConfigureRequest, ResourceProvider

from kontent_resources.client import KontentError
from kontent_resources.providers.errors import KontentResourceError, explain
from kontent_resources.providers.runtime import Environment, environment_for
from kontent_resources.providers.settings import ProviderSettings, SettingsError


class KontentProvider(ResourceProvider):
    """Base of the resource providers.

    The engine pickles provider instances into the stack state, so an instance carries no
    settings, client or lock when pickled: ``configure`` fills them in inside the provider process.
    """

    _settings: ProviderSettings | None = None
    _settings_error: SettingsError | None = None

    def configure(self, req: ConfigureRequest) -> None:
        start_engine_watchdog()
        # A configuration problem is reported at the first API call, not here, so that offline
        # checks (check/diff) still run and show every input problem at preview time.
        try:
            self._settings = ProviderSettings.resolve(req.config)
            self._settings_error = None
        except SettingsError as error:
            self._settings, self._settings_error = None, error

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    @property
    def env(self) -> Environment:
        if self._settings is None:
            raise KontentResourceError(
                str(
                    self._settings_error
                    or SettingsError(
                        "the provider was not configured: set kontent:environmentId and kontent:apiKey"
                    )
                )
            )
        return environment_for(self._settings)

    @contextmanager
    def api_errors(self, action: str) -> Iterator[None]:
        """Re-raise client errors as messages that say what to fix."""
        try:
            yield
        except KontentError as error:
            raise explain(error, action) from None


# -- leaving with the engine ------------------------------------------------------------------
_WATCH_INTERVAL_SECONDS = 2.0
_WATCH_MISSES = 3
_watchdog_lock = threading.Lock()
_watchdog: threading.Thread | None = None


def engine_address(argv: list[str] | None = None, main_module: str | None = None) -> tuple[str, int] | None:
    """The engine's gRPC address when this process is a dynamic provider the engine started.

    The engine runs ``python -m pulumi.dynamic <host:port>``; anywhere else (tests, Automation API
    hosts, a REPL) there is nothing to watch.
    """
    if main_module is None:
        spec = getattr(sys.modules.get("__main__"), "__spec__", None)
        main_module = getattr(spec, "name", None)
    args = sys.argv[1:] if argv is None else argv
    if main_module != "pulumi.dynamic.__main__" or len(args) != 1:
        return None
    host, _, port = args[0].rpartition(":")
    return (host, int(port)) if host and port.isdigit() else None


def start_engine_watchdog() -> None:
    """Exit this provider process once the engine that started it is gone.

    The engine normally stops its providers; killed (SIGKILL, OOM killer, a CI runner cancelled),
    it leaves ``python -m pulumi.dynamic`` serving forever, holding an API client and finishing
    requests nobody will record. Its address stops accepting connections when it dies.
    """
    global _watchdog
    address = engine_address()
    if address is None:
        return
    with _watchdog_lock:
        if _watchdog is None:
            _watchdog = threading.Thread(target=_watch, args=(address,), name="engine-watchdog", daemon=True)
            _watchdog.start()


def _watch(address: tuple[str, int]) -> None:
    misses = 0
    while misses < _WATCH_MISSES:
        time.sleep(_WATCH_INTERVAL_SECONDS)
        try:
            with socket.create_connection(address, timeout=_WATCH_INTERVAL_SECONDS):
                misses = 0
        except OSError:
            misses += 1
    print("kontent provider: the Pulumi engine is gone; exiting", file=sys.stderr, flush=True)
    os._exit(1)
