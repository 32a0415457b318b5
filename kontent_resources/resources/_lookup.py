"""Reading existing objects into a program, the way Pulumi ``get_*`` functions do.

Dynamic resources cannot be read into the state with ``Resource.get`` (the engine reads them
without their provider), so these return the object as data instead: an ``Output`` of the API
model, fetched with the stack's kontent:* configuration when the program runs (also at preview).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pulumi

from kontent_resources.client import KontentClient
from kontent_resources.providers.settings import ProviderSettings

T = TypeVar("T")


class _StackConfig:
    """The stack's kontent:* values, with the API key already unwrapped from its secret."""

    def __init__(self, api_key: str | None) -> None:
        self._config = pulumi.Config("kontent")
        self._api_key = api_key

    def get(self, key: str) -> Any:
        name = key.split(":", 1)[1]
        return self._api_key if name == "apiKey" else self._config.get(name)


def lookup(fetch: Callable[[KontentClient], T]) -> pulumi.Output[T]:
    """Run ``fetch`` with a client for the stack's environment; the result stays secret-free."""

    def run(api_key: str | None) -> T:
        settings = ProviderSettings.resolve(_StackConfig(api_key))
        with KontentClient(
            settings.environment_id, settings.api_key, settings.base_url, rate_limit=settings.rate_limit
        ) as client:
            return fetch(client)

    secret = pulumi.Config("kontent").get_secret("apiKey")
    api_key = secret if secret is not None else pulumi.Output.from_input("")
    return pulumi.Output.unsecret(api_key.apply(lambda key: run(key or None)))
