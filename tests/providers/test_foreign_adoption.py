"""Adopting another stack's object fails the preview, naming the owner; ``take_over=True`` moves it (R3-2).

Stack A makes its objects through the providers as an ``up`` would (a generated external id from
its seed). Stack B then asks to adopt them: by ``adopt_id`` or by ``external_id`` with ``adopt=True``.
The preview (``check``) must refuse before anything is written, naming A; so must a ``create`` that
``check`` could not warn about. A's own objects are adopted back without a word.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kontent_resources.client import KontentClient
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.models.assets import AssetCreate, AssetUpsert
from kontent_resources.providers import AssetProvider, FolderProvider, RenditionProvider
from kontent_resources.providers.errors import KontentResourceError
from kontent_resources.providers.localfile import sha256_of
from tests.providers.conftest import outs_of
from tests.providers.test_folder_rendition_link_providers import TRANSFORM

Make = Callable[[type[Any]], Any]
WRITES = ("POST", "PUT", "PATCH", "DELETE")
SEED_A, SEED_B = "seed-of-stack-a", "seed-of-stack-b"
TEAM_A, TEAM_B = "brand/team-a", "brand/team-b"


def _writes(emulator: EmulatorServer) -> dict[str, int]:
    by_endpoint: dict[str, int] = emulator.counters()["by_endpoint"]
    return {endpoint: n for endpoint, n in by_endpoint.items() if endpoint.startswith(WRITES)}


def _stack(seed: str, owner: str, name: str, kind: str) -> dict[str, Any]:
    """The identity props a program of stack ``owner`` gives its resource ``name``."""
    return {
        "identity_seed": seed,
        "identity_owner": owner,
        "identity_path": f"pulumi-python:dynamic/kontent:{kind}::{name}",
        "resource_path": f"pulumi-python:dynamic/kontent:{kind}::{name}",
        "take_over": False,
    }


def _asset(image: Path, **overrides: Any) -> dict[str, Any]:
    props = {
        "source": image.name,
        "source_path": str(image),
        "content_sha256": sha256_of(image),
        "file_name": image.name,
        "content_type": "image/png",
        "title": "Team A's logo",
        "external_id": None,
        "external_id_generated": True,
        "adopt": False,
        "adopt_id": None,
        **_stack(SEED_A, TEAM_A, "logo", "Asset"),
    }
    return {**props, **overrides}


def _adopting(image: Path, **overrides: Any) -> dict[str, Any]:
    """Stack B's asset adopting something: by ``adopt_id`` unless overridden."""
    return (
        _asset(
            image,
            title="Team B's logo",
            external_id_generated=False,
            **_stack(SEED_B, TEAM_B, "logo", "Asset"),
        )
        | overrides
    )


def _checked(provider: Any, props: dict[str, Any]) -> dict[str, Any]:
    result = provider.check({}, props)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    inputs: dict[str, Any] = result.inputs
    return inputs


def _only_failure(provider: Any, props: dict[str, Any], prop: str, olds: dict[str, Any] | None = None) -> str:
    failures = provider.check(olds or {}, props).failures
    assert [f.property for f in failures] == [prop], [(f.property, f.reason) for f in failures]
    reason: str = failures[0].reason
    return reason


def _made_by_team_a(make_provider: Make, image: Path) -> dict[str, Any]:
    provider: AssetProvider = make_provider(AssetProvider)
    created = provider.create(_checked(provider, _asset(image)))
    return outs_of(created) | {"id": created.id}


def test_a_generated_id_names_its_stack(make_provider: Make, image: Path) -> None:
    made = _made_by_team_a(make_provider, image)
    assert made["external_id"].startswith("pulumi:asset:brand~team-a~"), made["external_id"]
    assert not any(ch in made["external_id"] for ch in "/.;"), "usable in references"


def test_adopting_another_stacks_asset_by_id_fails_the_preview_naming_the_owner(
    make_provider: Make, client: KontentClient, emulator: EmulatorServer, image: Path
) -> None:
    made = _made_by_team_a(make_provider, image)
    provider: AssetProvider = make_provider(AssetProvider)
    emulator.reset_counters()

    reason = _only_failure(provider, _adopting(image, adopt_id=made["id"]), "adopt_id")
    for fragment in ("stack 'brand/team-a'", made["external_id"], "pulumi state delete", "take_over=True"):
        assert fragment in reason, (fragment, reason)
    # Had the preview not known (no access at preview), the create refuses before writing.
    with pytest.raises(KontentResourceError, match=r"adopt_id: asset .* belongs to stack 'brand/team-a'"):
        provider.create(_adopting(image, adopt_id=made["id"]))
    assert _writes(emulator) == {}
    assert client.assets.get(made["id"]).title == "Team A's logo"


def test_adopting_another_stacks_asset_by_external_id_fails_the_preview(
    make_provider: Make, emulator: EmulatorServer, image: Path
) -> None:
    made = _made_by_team_a(make_provider, image)
    provider: AssetProvider = make_provider(AssetProvider)
    emulator.reset_counters()
    adopting = _adopting(image, external_id=made["external_id"], adopt=True)
    assert "stack 'brand/team-a'" in _only_failure(provider, adopting, "adopt")
    with pytest.raises(KontentResourceError, match="adopt: the asset with that external id belongs"):
        provider.create(adopting)
    assert _writes(emulator) == {}


def test_take_over_moves_the_asset_and_a_later_preview_stays_quiet(
    make_provider: Make, client: KontentClient, image: Path
) -> None:
    made = _made_by_team_a(make_provider, image)
    provider: AssetProvider = make_provider(AssetProvider)
    taking = _checked(provider, _adopting(image, adopt_id=made["id"], take_over=True))
    created = provider.create(taking)
    assert created.id == made["id"]
    assert client.assets.get(made["id"]).title == "Team B's logo"
    # Now in B's state: dropping take_over afterwards does not fail B's next preview.
    assert provider.check(taking, _adopting(image, adopt_id=made["id"])).failures == []


def test_a_stacks_own_asset_is_adopted_back_without_take_over(
    make_provider: Make, client: KontentClient, image: Path
) -> None:
    """Stack A lost the resource from its state (``pulumi state delete``) and adopts it again."""
    made = _made_by_team_a(make_provider, image)
    provider: AssetProvider = make_provider(AssetProvider)
    again = _asset(image, adopt_id=made["id"], external_id_generated=False, title="Logo again")
    assert provider.create(_checked(provider, again)).id == made["id"]
    by_external_id = _asset(image, external_id=made["external_id"], external_id_generated=False, adopt=True)
    assert provider.create(_checked(provider, by_external_id)).id == made["id"]
    assert client.assets.get(made["id"]).title == "Team A's logo"


@pytest.mark.parametrize(
    ("external_id", "owner"),
    [
        ("pulumi:asset:logo:0123456789abcdef01234567", "another stack of kontent_resources"),
        ("pulumi:brand:prod:asset:logo", "stack 'brand/prod'"),
    ],
    ids=["ids-without-owner", "first-release-ids"],
)
def test_ids_of_earlier_releases_are_another_stacks_too(
    make_provider: Make, client: KontentClient, image: Path, external_id: str, owner: str
) -> None:
    reference = client.files.upload(image, file_name=image.name, content_type="image/png")
    older = client.assets.add(AssetCreate(file_reference=reference.to_request(), external_id=external_id))
    provider: AssetProvider = make_provider(AssetProvider)
    reason = _only_failure(provider, _adopting(image, adopt_id=older.id), "adopt_id")
    assert owner in reason, reason
    assert external_id in reason


def test_a_stack_of_the_same_name_in_another_state_is_another_stack(make_provider: Make, image: Path) -> None:
    """The same project and stack name in another backend: the seed tells them apart."""
    made = _made_by_team_a(make_provider, image)
    provider: AssetProvider = make_provider(AssetProvider)
    twin = _adopting(image, adopt_id=made["id"], **_stack("another-seed", TEAM_A, "logo", "Asset"))
    assert "stack 'brand/team-a' of another state" in _only_failure(provider, twin, "adopt_id")


def test_a_persons_asset_is_adopted_as_before(
    make_provider: Make, client: KontentClient, image: Path
) -> None:
    reference = client.files.upload(image, file_name=image.name, content_type="image/png")
    theirs = client.assets.add(AssetCreate(file_reference=reference.to_request(), external_id="brand-logo"))
    client.assets.upsert(theirs.id, AssetUpsert(title="Brand logo"))
    provider: AssetProvider = make_provider(AssetProvider)
    by_id = _adopting(image, adopt_id=theirs.id)
    by_external_id = _adopting(image, external_id="brand-logo", adopt=True)
    assert provider.create(_checked(provider, by_id)).id == theirs.id
    assert provider.create(_checked(provider, by_external_id)).id == theirs.id


def _folder(name: str, seed: str, owner: str, **overrides: Any) -> dict[str, Any]:
    props = {
        "name": name,
        "parent": None,
        "codename": None,
        "external_id": None,
        "external_id_generated": True,
        "adopt": False,
        **_stack(seed, owner, name.lower(), "Folder"),
    }
    return props | overrides


def test_adopting_another_stacks_folder_fails_the_preview(
    make_provider: Make, client: KontentClient, emulator: EmulatorServer
) -> None:
    provider: FolderProvider = make_provider(FolderProvider)
    made = provider.create(_checked(provider, _folder("Brand", SEED_A, TEAM_A)))
    emulator.reset_counters()
    adopting = _folder("Brand B", SEED_B, TEAM_B, adopt_id=made.id, external_id_generated=False)
    assert "stack 'brand/team-a'" in _only_failure(provider, adopting, "adopt_id")
    with pytest.raises(KontentResourceError, match="belongs to stack 'brand/team-a'"):
        provider.create(adopting)
    assert _writes(emulator) == {}
    assert client.folders.get().folders[0].name == "Brand"
    taken = provider.create(_checked(provider, adopting | {"take_over": True}))
    assert (taken.id, outs_of(taken)["name"]) == (made.id, "Brand B")


def _rendition(asset_id: str, seed: str, owner: str, **overrides: Any) -> dict[str, Any]:
    props = {
        "asset": asset_id,
        "transformation": dict(TRANSFORM),
        "external_id": None,
        "external_id_generated": True,
        "adopt": False,
        "image_width": 800,
        "image_height": 400,
        **_stack(seed, owner, "thumb", "Rendition"),
    }
    return props | overrides


def test_adopting_another_stacks_rendition_fails_the_preview(
    make_provider: Make, emulator: EmulatorServer, image: Path
) -> None:
    made_asset = _made_by_team_a(make_provider, image)
    provider: RenditionProvider = make_provider(RenditionProvider)
    made = provider.create(_checked(provider, _rendition(made_asset["id"], SEED_A, TEAM_A)))
    emulator.reset_counters()
    adopting = _rendition(made_asset["id"], SEED_B, TEAM_B, adopt_id=made.id, external_id_generated=False)
    assert "stack 'brand/team-a'" in _only_failure(provider, adopting, "adopt_id")
    by_external_id = _rendition(
        made_asset["id"], SEED_B, TEAM_B, external_id=outs_of(made)["external_id"], adopt=True,
        external_id_generated=False,
    )  # fmt: skip
    assert "stack 'brand/team-a'" in _only_failure(provider, by_external_id, "adopt")
    with pytest.raises(KontentResourceError, match="belongs to stack 'brand/team-a'"):
        provider.create(adopting)
    assert _writes(emulator) == {}
    assert provider.create(_checked(provider, adopting | {"take_over": True})).id == made.id
