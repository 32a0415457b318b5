"""Generated external ids: unique per stack state, kept from the old state, new on replacement."""

from __future__ import annotations

from typing import Any

from pulumi.output import Unknown

from kontent_resources.providers.identity import StackIdentityProvider, derive_external_id, settle_external_id

PATH = "pulumi-python:dynamic/kontent:Asset::logo"


def generated(**overrides: Any) -> dict[str, Any]:
    return {
        "external_id": None,
        "external_id_generated": True,
        "identity_seed": "seed-a",
        "identity_path": PATH,
        **overrides,
    }


def test_two_seeds_never_share_an_id_and_one_seed_always_gives_the_same() -> None:
    first = settle_external_id("asset", {}, generated())["external_id"]
    again = settle_external_id("asset", {}, generated())["external_id"]
    other_backend = settle_external_id("asset", {}, generated(identity_seed="seed-b"))["external_id"]
    assert first == again, "a create retried after a crash derives the same id and adopts"
    assert first != other_backend, "a stack with the same names in another backend gets its own"
    assert not any(ch in first for ch in "/.;"), "usable in references (API reference)"


def test_the_id_in_the_old_state_is_kept_through_renames() -> None:
    olds = {"external_id": "pulumi:spec:test:asset:logo", "external_id_generated": True}
    renamed = generated(identity_path="pulumi-python:dynamic/kontent:Asset::new-name", identity_seed="x")
    assert settle_external_id("asset", olds, renamed)["external_id"] == "pulumi:spec:test:asset:logo"


def test_a_replacing_input_gives_a_new_id_so_the_replacement_never_adopts_the_old_object() -> None:
    olds = {**generated(parent="p1"), "external_id": "old-id"}
    moved = settle_external_id("folder", olds, generated(parent="p2"), scope_keys=("parent",))
    assert moved["external_id"] not in ("old-id", None)
    assert moved["external_id"] == derive_external_id("folder", "seed-a", PATH, ["p2"])
    unmoved = settle_external_id("folder", olds, generated(parent="p1"), scope_keys=("parent",))
    assert unmoved["external_id"] == "old-id"


def test_user_ids_are_untouched_and_an_unknown_seed_leaves_the_id_unknown() -> None:
    user = settle_external_id("asset", {}, {"external_id": "mine", "external_id_generated": False})
    assert user["external_id"] == "mine"
    unknown = settle_external_id("asset", {}, generated(identity_seed=Unknown()))  # type: ignore[no-untyped-call]
    assert isinstance(unknown["external_id"], Unknown)


def test_the_seed_is_random_once_and_then_kept() -> None:
    provider = StackIdentityProvider()
    first = provider.check({}, {"seed": None}).inputs["seed"]
    second = provider.check({}, {"seed": None}).inputs["seed"]
    assert first != second
    assert len(first) == 32
    assert provider.check({"seed": first}, {"seed": None}).inputs["seed"] == first
