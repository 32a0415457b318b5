"""Many dynamic resources in one process must not exhaust the recursion limit (Pulumi SDK quirk)."""

from __future__ import annotations

import pickle

import pytest
from pulumi.dynamic.dynamic import serialize_provider

from kontent_resources._sdk.program import restore_pickler
from kontent_resources.providers import AssetProvider


def test_serializing_many_providers_keeps_the_pickler_flat() -> None:
    for _ in range(3000):
        serialize_provider(AssetProvider())
        restore_pickler()
    assert pickle._Pickler._batch_setitems.__module__ == "pickle"  # type: ignore[attr-defined]


def test_without_the_repair_pulumi_wraps_the_pickler_once_per_provider() -> None:
    """Documents the SDK behaviour the repair exists for; it fails once Pulumi fixes it upstream."""
    try:
        with pytest.raises(RecursionError):  # noqa: PT012 - the error comes after many calls
            for _ in range(5000):
                serialize_provider(AssetProvider())
    finally:
        restore_pickler()
