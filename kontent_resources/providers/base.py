"""What every Kontent.ai dynamic provider shares: configuration, the environment, error wording."""

from __future__ import annotations

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
