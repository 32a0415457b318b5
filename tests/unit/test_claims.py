"""The per-deployment record of which resource manages which object (providers/claims.py)."""

from __future__ import annotations

from kontent_resources.providers.claims import RESOURCE_PATH, DeploymentClaims, fingerprint


def test_the_same_inputs_read_back_from_the_state_have_the_same_fingerprint() -> None:
    fresh = {"transformation": {"x": 0, "width": 100}, "title": None, "__provider": "blob", "name": "a"}
    from_state = {"name": "a", "transformation": {"width": 100.0, "x": 0.0}}
    assert fingerprint(fresh) == fingerprint(from_state)
    assert fingerprint({"name": "a"}) != fingerprint({"name": "b"})


def test_a_delete_is_skipped_only_for_an_object_another_resource_keeps() -> None:
    claims = DeploymentClaims()
    old = {RESOURCE_PATH: "kontent:Asset::logo", "title": "Logo"}
    new = {RESOURCE_PATH: "tests:Group$kontent:Asset::logo", "title": "Logo"}
    assert not claims.skip_delete("asset", "a1", old), "nobody keeps it: deleted"
    claims.keep("asset", "a1", new)
    assert claims.skip_delete("asset", "a1", old), "the moved resource keeps it"
    assert not claims.skip_delete("asset", "a1", new), "its own resource may still delete it"
    assert not claims.skip_delete("folder", "a1", old), "claims are per kind"


def test_a_replacement_of_the_same_resource_keeps_what_it_found_again() -> None:
    claims = DeploymentClaims()
    path = {RESOURCE_PATH: "kontent:VariantAssetLink::hero"}
    claims.keep("link", "home/en/hero/a1", {**path, "item": "item-id"})
    assert claims.skip_delete("link", "home/en/hero/a1", {**path, "item": "codename/home"})
