"""Refresh reads cost about one call per stack asset, or the listing, whichever is less (issue 16)."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import cast

import pytest

from kontent_resources.client import KontentClient, KontentNotFoundError
from kontent_resources.models import Asset
from kontent_resources.providers.asset_index import AssetIndex

PAGE = 50


class _Assets:
    """The two reads the index makes, counted; the environment holds ``size`` assets."""

    def __init__(self, size: int) -> None:
        self.assets = [Asset(id=f"a{n:05d}") for n in range(size)]
        self.calls = 0

    def get(self, asset_id: str) -> Asset:
        self.calls += 1
        found = [a for a in self.assets if a.id == asset_id]
        if not found:
            raise KontentNotFoundError("gone", status=404)
        return found[0]

    def pages(self) -> Iterator[Sequence[Asset]]:
        for start in range(0, len(self.assets), PAGE):
            self.calls += 1
            yield self.assets[start : start + PAGE]


class _Client:
    def __init__(self, size: int) -> None:
        self.assets = _Assets(size)


def _refresh(environment: int, stack: int, *, threads: int = 4) -> tuple[int, list[Asset | None]]:
    client = _Client(environment)
    index = AssetIndex(cast("KontentClient", client))
    wanted = random.Random(7).sample([a.id for a in client.assets.assets], stack)
    with ThreadPoolExecutor(max_workers=threads) as pool:  # the engine reads four at a time
        found = list(pool.map(index.get, wanted))
    return client.assets.calls, found


@pytest.mark.parametrize(
    ("environment", "stack"), [(1, 1), (501, 1), (2001, 1), (2001, 10), (2001, 100), (5000, 50)]
)
def test_a_small_stack_in_a_large_environment_costs_about_a_call_per_asset(
    environment: int, stack: int
) -> None:
    calls, found = _refresh(environment, stack)
    assert all(found)
    assert calls <= stack + stack // 2 + 1, calls


@pytest.mark.parametrize(("environment", "stack"), [(200, 200), (1000, 1000), (5000, 5000), (5000, 2500)])
def test_a_stack_that_is_most_of_the_environment_costs_about_the_listing(
    environment: int, stack: int
) -> None:
    calls, found = _refresh(environment, stack)
    assert all(found)
    pages = -(-environment // PAGE)
    # The listing and at most as many again in single GETs (three times the listing before reads
    # the listing answered paid for more of it: 300 calls for 5,000 of 5,000, now 189).
    assert calls <= pages * 2 + 2, (calls, pages)


def test_a_deleted_asset_is_confirmed_gone_by_its_id() -> None:
    client = _Client(120)
    index = AssetIndex(cast("KontentClient", client))
    assert index.get("a00003") is not None
    assert index.get("missing") is None, "not listed and not found by id"
    index.forget("a00003")
    assert index.get("a00003") is None, "deleted by this process"
