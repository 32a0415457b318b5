"""AssetSetProvider: many assets as one resource, each member handled as its Asset would be."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.output import Unknown

from kontent_resources.client import KontentClient
from kontent_resources.emulator import EmulatorServer
from kontent_resources.providers import invalidate_caches
from kontent_resources.providers.asset_set import (
    BUCKET_DIGITS,
    MEMBER_ID,
    MEMBER_VALUES,
    MEMBERS,
    VALUE_REF,
    WORKERS,
    AssetSetProvider,
    _run_all,
    encode_member,
    in_buckets,
    members_of,
)
from kontent_resources.providers.errors import KontentResourceError
from tests.providers.conftest import outs_of, raw_config
from tests.providers.test_asset_provider import TEST_SEED, inputs

Make = Callable[[type[AssetSetProvider]], AssetSetProvider]


def image(folder: Path, name: str, color: str = "orange") -> Path:
    path = folder / name
    Image.new("RGB", (40, 20), color).save(path)
    return path


def member(path: Path, key: str, **overrides: Any) -> dict[str, Any]:
    defaults = {"title": key, "identity_path": f"set-test::{key}", "resource_path": f"set[{key}]"}
    return inputs(path, **{**defaults, **overrides})


def checked(
    provider: AssetSetProvider, olds: dict[str, Any], members: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    result = provider.check(olds, sent(members))
    assert not result.failures, result.failures
    return dict(result.inputs)


def sent(members: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The props a program's AssetSet sends for ``members`` (none of their values an Output)."""
    return {MEMBERS: in_buckets({key: encode_member(m) for key, m in members.items()}), MEMBER_VALUES: []}


def by_key(outs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The members of an AssetSet's outputs (or inputs), out of their buckets and decoded."""
    return members_of(outs)


def files_by_title(client: KontentClient) -> dict[str, str]:
    return {str(a.title): a.id for a in client.assets.list()}


@pytest.fixture
def provider(make_provider: Make) -> AssetSetProvider:
    return make_provider(AssetSetProvider)


def test_members_are_created_updated_removed_and_deleted_as_assets(
    provider: AssetSetProvider, client: KontentClient, tmp_path: Path
) -> None:
    a, b, c = (image(tmp_path, f"{k}.png") for k in "abc")
    first = checked(provider, {}, {"a": member(a, "a"), "b": member(b, "b")})
    created = provider.create(first)
    outs = outs_of(created)
    assert files_by_title(client) == {"a": by_key(outs)["a"][MEMBER_ID], "b": by_key(outs)["b"][MEMBER_ID]}
    assert by_key(outs)["a"]["external_id"].startswith("pulumi:asset:")

    # Unchanged inputs: no change. Then b is retitled, a removed, c added.
    assert (
        provider.diff(
            created.id, outs, checked(provider, first, {"a": member(a, "a"), "b": member(b, "b")})
        ).changes
        is False
    )
    second = checked(provider, first, {"b": member(b, "b", title="B"), "c": member(c, "c")})
    assert provider.diff(created.id, outs, second).changes is True
    updated = outs_of(provider.update(created.id, outs, second))
    titles = files_by_title(client)
    assert set(titles) == {"B", "c"}
    assert titles["B"] == by_key(outs)["b"][MEMBER_ID], "an update keeps the asset (same id)"
    assert set(by_key(updated)) == {"b", "c"}

    provider.delete(created.id, updated)
    assert files_by_title(client) == {}


def test_refresh_drops_a_member_deleted_outside_and_records_drift(
    provider: AssetSetProvider, client: KontentClient, tmp_path: Path
) -> None:
    a, b = image(tmp_path, "a.png"), image(tmp_path, "b.png", "blue")
    props = checked(provider, {}, {"a": member(a, "a"), "b": member(b, "b")})
    created = provider.create(props)
    outs = outs_of(created)
    client.assets.delete(by_key(outs)["b"][MEMBER_ID])
    invalidate_caches()  # a refresh is a new provider process: it lists the assets afresh

    read = provider.read(created.id, outs)

    assert set(by_key(outs_of(read))) == {"a"}
    assert read.inputs is not None
    assert set(by_key(read.inputs)) == {"a"}
    # The next up sees b as new again and makes it.
    assert provider.diff(created.id, outs_of(read), props).changes is True


def test_a_failing_member_fails_the_run_after_the_others_and_the_rerun_duplicates_nothing(
    provider: AssetSetProvider, client: KontentClient, tmp_path: Path
) -> None:
    good = [image(tmp_path, f"good-{i}.png") for i in range(3)]
    members = {f"good-{i}": member(path, f"good-{i}") for i, path in enumerate(good)}
    bad = image(tmp_path, "bad.png")
    members["bad"] = member(bad, "bad")
    props = checked(provider, {}, members)
    bad.unlink()  # gone between the preview and the upload

    with pytest.raises(KontentResourceError) as failed:
        provider.create(props)

    message = str(failed.value)
    assert "1 of 4 members failed to create" in message
    assert 'members["bad"]' in message
    assert "bad.png" in message
    assert sorted(files_by_title(client)) == ["good-0", "good-1", "good-2"], "the other members were done"

    # Fixed and run again: the state holds nothing of the failed run, so every member is created
    # again, and the three made before are found by their external ids instead of made twice.
    image(tmp_path, "bad.png")
    outs = outs_of(provider.create(checked(provider, {}, members)))
    titles = files_by_title(client)
    assert sorted(titles) == ["bad", "good-0", "good-1", "good-2"]
    assert {k: v[MEMBER_ID] for k, v in by_key(outs).items()} == {k: titles[k] for k in titles}


def test_check_names_the_member_and_property(provider: AssetSetProvider, tmp_path: Path) -> None:
    result = provider.check({}, sent({"a": member(tmp_path / "missing.png", "a", title="")}))
    properties = sorted(f.property for f in result.failures)
    assert properties == ['members["a"].source', 'members["a"].title']
    # What the environment tells is checked at preview too, member by member.
    unknown_language = member(image(tmp_path, "b.png"), "b", descriptions={"xx-XX": "?"})
    result = provider.check({}, sent({"b": unknown_language}))
    assert [f.property for f in result.failures] == ['members["b"].descriptions']
    assert "xx-XX" in result.failures[0].reason


def test_members_keep_the_external_id_their_asset_would_generate(
    provider: AssetSetProvider, tmp_path: Path
) -> None:
    from kontent_resources.providers.identity import derive_external_id

    props = checked(provider, {}, {"a": member(image(tmp_path, "a.png"), "a", identity_owner="p/s")})
    assert by_key(props)["a"]["external_id"] == derive_external_id(
        "asset", TEST_SEED, "set-test::a", (), "p/s"
    )


def test_no_map_of_the_state_grows_with_the_members(provider: AssetSetProvider, tmp_path: Path) -> None:
    """The engine copies a map once per key as it builds it: members are kept in hashed buckets."""
    keys = [f"photos/{i:05d}.png" for i in range(5000)]
    buckets: dict[str, dict[str, dict[str, Any]]] = in_buckets({key: {} for key in keys})
    assert len(buckets) <= 16**BUCKET_DIGITS
    assert max(len(bucket) for bucket in buckets.values()) < 60
    assert sorted(k for bucket in buckets.values() for k in bucket) == keys
    # A key's bucket does not depend on the other keys: adding members moves none.
    assert (
        in_buckets({key: {} for key in keys[:10]}).items()
        <= {b: {k: v for k, v in bucket.items() if k in keys[:10]} for b, bucket in buckets.items()}.items()
    )


def test_a_member_is_one_json_text_and_an_output_it_holds_is_sent_once(
    provider: AssetSetProvider, tmp_path: Path
) -> None:
    """The engine's cost grows with the number of values: a member is one text, and the values a
    program gives as Outputs (here the seed, unknown at a first preview) stay unknown to it."""
    path = image(tmp_path, "a.png")
    members = {key: {**member(path, key), "identity_seed": {VALUE_REF: 0}} for key in ("a", "b")}
    unknown = Unknown()  # type: ignore[no-untyped-call]
    result = provider.check({}, {**sent(members), MEMBER_VALUES: [unknown], "resource_path": "set"})
    assert result.failures == []
    inputs = dict(result.inputs)
    texts = [text for bucket in inputs[MEMBERS].values() for text in bucket.values()]
    assert all(isinstance(text, str) for text in texts)
    values = inputs[MEMBER_VALUES]
    assert len(values) == 3
    assert all(isinstance(v, Unknown) for v in values), values
    decoded = [json.loads(text) for text in texts]
    # The seed is still the value sent; the external id made from it is unknown too, one per member.
    assert [d["identity_seed"] for d in decoded] == [{VALUE_REF: 0}] * 2
    assert sorted(d["external_id"][VALUE_REF] for d in decoded) == [1, 2]
    # The record entry follows from the set's and the key: derived, not stored per member.
    assert all("resource_path" not in d for d in decoded)
    assert members_of(inputs)["a"]["resource_path"] == "set[a]"


def test_members_stored_as_maps_read_as_before(provider: AssetSetProvider, tmp_path: Path) -> None:
    """A state written before members were JSON texts diffs as no change against the same program."""
    path = image(tmp_path, "a.png")
    first = checked(provider, {}, {"a": member(path, "a")})
    created = outs_of(provider.create(first))
    as_maps = {**created, MEMBERS: in_buckets(members_of(created))}
    assert isinstance(next(iter(as_maps[MEMBERS].values()))["a"], dict)
    again = checked(provider, {**first, MEMBERS: in_buckets(members_of(first))}, {"a": member(path, "a")})
    assert provider.diff("set-id", as_maps, again).changes is False


@pytest.mark.parametrize(
    ("per_second", "cores", "expected"),
    [("10", 2, WORKERS), (None, 2, WORKERS), ("0", 2, 4), ("0", 64, WORKERS), ("0", None, 2)],
)
def test_members_in_flight_follow_the_rate_limit_or_else_the_cores(
    per_second: str | None,
    cores: int | None,
    expected: int,
    emulator: EmulatorServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Under a client-side rate limit enough members wait on the network; without one (an emulator
    without limits) this process's CPU bounds the calls, and more threads only contend for it."""
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    config = raw_config(emulator)
    if per_second is not None:
        config["kontent:maxRequestsPerSecond"] = per_second
    provider = AssetSetProvider()
    provider.configure(ConfigureRequest(Config(config, project_name="provider-tests")))
    assert provider.member_workers == expected


def test_no_more_members_run_at_once_than_the_workers() -> None:
    running, most = 0, 0
    lock = threading.Lock()

    def work(key: str) -> str:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.01)
        with lock:
            running -= 1
        return key

    keys = [f"m{i}" for i in range(40)]
    assert _run_all("create", keys, work, 4) == {key: key for key in keys}
    assert most == 4
