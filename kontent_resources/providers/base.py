"""What every Kontent.ai dynamic provider shares: configuration, the environment, error wording."""

from __future__ import annotations

import os
import stat
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from pulumi.dynamic import ConfigureRequest, DiffResult, ResourceProvider

from kontent_resources import _sdk
from kontent_resources.client import KontentError
from kontent_resources.providers import progress
from kontent_resources.providers.errors import KontentResourceError, explain
from kontent_resources.providers.identity import settle_external_id
from kontent_resources.providers.props import applied
from kontent_resources.providers.runtime import Environment, environment_for
from kontent_resources.providers.settings import ProviderSettings, SettingsError
from kontent_resources.providers.validation import Failures


class KontentProvider(ResourceProvider):
    """Base of the resource providers.

    The engine pickles provider instances into the stack state, so an instance carries no
    settings, client or lock when pickled: ``configure`` fills them in inside the provider process.
    """

    _settings: ProviderSettings | None = None
    _settings_error: SettingsError | None = None

    def configure(self, req: ConfigureRequest) -> None:
        start_engine_watchdog()
        if started_by_engine():
            progress.REPORTER.start()
        _sdk.install("provider")
        # A configuration problem is reported by the first check (see refuse_unusable_settings),
        # not here: the engine would show a failed configure without naming any resource.
        try:
            self._settings = ProviderSettings.resolve(req.config)
            self._settings_error = None
        except SettingsError as error:
            self._settings, self._settings_error = None, error

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def refuse_unusable_settings(self) -> None:
        """Fail the preview when the configuration is missing or malformed: it is knowable offline."""
        if self._settings_error is not None:
            raise KontentResourceError(str(self._settings_error))

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

    def start_check(
        self, kind: str, olds: dict[str, Any], news: dict[str, Any], scope_keys: Sequence[str] = ()
    ) -> tuple[dict[str, Any], Failures]:
        """What every ``check`` of an object with an external id does first: refuse unusable settings,
        report the values the program could not send, and settle the external id (``identity.py``)."""
        self.refuse_unusable_settings()
        failures = Failures()
        return settle_external_id(kind, olds, failures.unsendable(news), scope_keys=scope_keys), failures

    def env_if_configured(self) -> Environment | None:
        """The environment ``check`` may read, or None when there are no settings to read it with."""
        return None if self._settings is None else environment_for(self._settings)

    def keeping(self, kind: str, id_: str, news: dict[str, Any], diff: DiffResult) -> DiffResult:
        """``diff``, after noting that ``news``' resource keeps object ``id_`` unless it is replaced."""
        if not diff.replaces and self._settings is not None:
            self.env.claims.keep(kind, id_, news)
        return diff

    def kept(self, kind: str, id_: str, inputs: dict[str, Any]) -> str:
        """``id_``, after noting that ``inputs``' resource made or updated that object."""
        self.env.claims.keep(kind, id_, inputs)
        return id_

    def left_to_another(self, kind: str, id_: str, props: dict[str, Any]) -> bool:
        """True when another resource of this deployment manages object ``id_``: do not delete it."""
        return self.env.claims.skip_delete(kind, id_, applied(props) or props)

    @contextmanager
    def api_errors(self, action: str, *, bad_request_fix: str | None = None) -> Iterator[None]:
        """Re-raise client errors as messages that say what to fix."""
        try:
            yield
        except KontentError as error:
            where = self._settings.base_url_from if self._settings is not None else "kontent:baseUrl"
            raise explain(error, action, bad_request_fix, base_url_from=where) from None


# -- leaving with the engine ------------------------------------------------------------------
_watchdog_lock = threading.Lock()
_watchdog: threading.Thread | None = None


def started_by_engine() -> bool:
    """True in ``python -m pulumi.dynamic``, the engine's child reading an engine-held pipe."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    if getattr(spec, "name", None) != "pulumi.dynamic.__main__":
        return False
    try:
        return stat.S_ISFIFO(os.fstat(0).st_mode)
    except OSError:
        return False


def start_engine_watchdog() -> None:
    """Exit this provider process once the engine that started it is gone.

    The engine gives each provider a stdin pipe and normally stops the provider itself. Killed
    (SIGKILL, the OOM killer, a cancelled CI job), it leaves ``python -m pulumi.dynamic`` serving
    forever, holding an API client and finishing requests nobody will record. The pipe's write
    end dies with the engine, so end-of-file on stdin means: nobody is listening any more.
    """
    global _watchdog
    if not started_by_engine():
        return
    with _watchdog_lock:
        if _watchdog is None:
            _watchdog = threading.Thread(target=_exit_at_end_of_stdin, name="engine-watchdog", daemon=True)
            _watchdog.start()


def _exit_at_end_of_stdin() -> None:
    try:
        while os.read(0, 4096):
            pass
        # stderr is a pipe to the dead engine too: writing may raise BrokenPipeError.
        print("kontent provider: the Pulumi engine is gone; exiting", file=sys.stderr, flush=True)
    except OSError:
        pass
    finally:
        os._exit(1)
