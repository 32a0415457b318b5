"""Providers called directly, as the engine would, against a live emulator."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import dill
import pytest
from PIL import Image
from pulumi.dynamic import ConfigureRequest, CreateResult, ReadResult, UpdateResult
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.output import Unknown

from kontent_resources.client import KontentClient, RateLimit
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.providers import invalidate_caches
from kontent_resources.providers.base import KontentProvider

P = TypeVar("P", bound=KontentProvider)


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[EmulatorServer]:
    with EmulatorServer(data_dir=tmp_path / "emulator", rate_limit=False) as server:
        yield server
    invalidate_caches()


@pytest.fixture
def client(emulator: EmulatorServer) -> Iterator[KontentClient]:
    with KontentClient(
        emulator.environment_id, emulator.api_key, emulator.base_url, rate_limit=RateLimit(enabled=False)
    ) as kontent:
        yield kontent


def unknown() -> Any:
    """A value the engine does not know yet, as ``check`` receives it (an ``Unknown``, not the sentinel
    string, which is a well-formed id)."""
    return Unknown()  # type: ignore[no-untyped-call]


def raw_config(emulator: EmulatorServer) -> dict[str, str]:
    return {
        "kontent:environmentId": emulator.environment_id,
        "kontent:apiKey": emulator.api_key,
        "kontent:baseUrl": emulator.base_url,
    }


def config_for(emulator: EmulatorServer) -> Config:
    return Config(raw_config(emulator), project_name="provider-tests")


def outs_of(result: CreateResult | UpdateResult | ReadResult) -> dict[str, Any]:
    """The outputs of a provider call, which the tests pass on as the engine would (read, update, delete).

    The SDK types them as optional; every provider here returns them, so their absence fails the test.
    """
    assert result.outs is not None, f"{type(result).__name__} without outs"
    return result.outs


@pytest.fixture
def make_provider(emulator: EmulatorServer) -> Callable[[type[P]], P]:
    """A provider that went through the same dill round-trip as the one stored in the state."""

    def make(cls: type[P]) -> P:
        restored: P = dill.loads(base64.b64decode(serialize_provider(cls())))
        restored.configure(ConfigureRequest(config_for(emulator)))
        return restored

    return make


@pytest.fixture
def image(tmp_path: Path) -> Path:
    path = tmp_path / "logo.png"
    Image.new("RGB", (800, 400), "orange").save(path)
    return path
