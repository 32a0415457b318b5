"""Reading existing objects into a program, the way Pulumi ``get_*`` functions do.

Dynamic resources cannot be read into the state with ``Resource.get`` (the engine reads them
without their provider), so these return the object as data instead: an ``Output`` of the API
model, fetched with the stack's kontent:* configuration when the program runs (also at preview).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pulumi

from kontent_resources.client import KontentClient, KontentError
from kontent_resources.providers.errors import explain
from kontent_resources.providers.settings import ProviderSettings, SettingsError

T = TypeVar("T")


class _StackConfig:
    """The stack's kontent:* values, with the API key already unwrapped from its secret."""

    def __init__(self, api_key: str | None) -> None:
        self._config = pulumi.Config("kontent")
        self._api_key = api_key

    def get(self, key: str) -> Any:
        name = key.split(":", 1)[1]
        return self._api_key if name == "apiKey" else self._config.get(name)


def lookup(what: str, fetch: Callable[[KontentClient], T]) -> pulumi.Output[T]:
    """Run ``fetch`` with a client for the stack's environment; the result stays secret-free.

    ``what`` names the call for the error (``Asset.lookup('codename/logo')``). A failure is a
    ``RunError``: the engine shows its message, with the fix, instead of a Python traceback.
    """

    def run(api_key: str | None) -> T:
        try:
            settings = ProviderSettings.resolve(_StackConfig(api_key))
            with settings.client() as client:
                return fetch(client)
        except KontentError as error:
            failure = explain(error, f"read {what}", base_url_from=settings.base_url_from)
            raise pulumi.RunError(str(failure)) from None
        except SettingsError as error:
            raise pulumi.RunError(f"{what}: {error}") from None

    secret = pulumi.Config("kontent").get_secret("apiKey")
    api_key = secret if secret is not None else pulumi.Output.from_input("")
    return pulumi.Output.unsecret(api_key.apply(lambda key: run(key or None)))
