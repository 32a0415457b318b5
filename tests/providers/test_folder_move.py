"""Moving a folder keeps its codename: the old folder goes first, the stack's assets wait aside.

The engine's steps for a delete-before-replace, called as it calls them: ``diff`` of the old folder,
``delete`` of it, ``create`` of the replacement, then the assets' own updates.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kontent_resources.client import KontentClient
from kontent_resources.models import FolderTree
from kontent_resources.models.assets import AssetCreate
from kontent_resources.models.common import RequestReference
from kontent_resources.providers import AssetProvider, FolderProvider, folder_move, invalidate_caches
from kontent_resources.providers.claims import RESOURCE_PATH
from kontent_resources.providers.identity import GENERATED, OWNER, PATH, SEED
from kontent_resources.providers.props import applied
from tests.providers.conftest import outs_of
from tests.providers.test_asset_provider import TEST_SEED, checked, inputs

Make = Callable[[type[Any]], Any]
OWNED_BY = "moves/test"


def _folder(
    folders: FolderProvider, name: str, parent: str | None = None, olds: dict[str, Any] | None = None
) -> dict[str, Any]:
    path = f"pulumi-python:dynamic/kontent:Folder::{name.lower()}"
    props = {
        "name": name,
        "parent": parent,
        "codename": None,
        "external_id": None,
        GENERATED: True,
        SEED: TEST_SEED,
        PATH: path,
        OWNER: OWNED_BY,
        RESOURCE_PATH: path,
        "adopt": False,
    }
    result = folders.check(olds or {}, props)
    assert result.failures == []
    assert result.inputs is not None
    return dict(result.inputs)


def _asset(assets: AssetProvider, image: Path, folder: str, key: str) -> str:
    path = f"pulumi-python:dynamic/kontent:Asset::{key}"
    props = inputs(image, folder=folder, title=key, **{PATH: path, OWNER: OWNED_BY, RESOURCE_PATH: path})
    return str(assets.create(checked(assets, props)).id)


def _folder_of(client: KontentClient, asset_id: str) -> str | None:
    folder = client.assets.get(asset_id).folder
    return folder.id if folder else None


def _names(tree: FolderTree) -> list[str]:
    return [folder.name for folder, _ in tree.walk()]


@pytest.fixture
def fresh_moves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(folder_move, "_moves", folder_move._Moves())


def _move(folders: FolderProvider, old_id: str, outs: dict[str, Any], parent: str) -> tuple[bool, Any]:
    """diff, delete, create: what the engine does for a replacement, in its order."""
    news = _folder(folders, outs["name"], parent=parent, olds=applied(outs))
    diff = folders.diff(old_id, outs, news)
    assert "parent" in (diff.replaces or [])
    if diff.delete_before_replace:
        folders.delete(old_id, outs)
        return True, folders.create(news)
    created = folders.create(news)
    return False, created


@pytest.mark.usefixtures("fresh_moves")
def test_a_moved_folder_keeps_its_codename_and_its_assets(
    make_provider: Make, client: KontentClient, image: Path
) -> None:
    folders: FolderProvider = make_provider(FolderProvider)
    assets: AssetProvider = make_provider(AssetProvider)
    gamma = folders.create(_folder(folders, "Gamma"))
    alpha = folders.create(_folder(folders, "Alpha"))
    assert outs_of(alpha)["codename"] == "alpha"
    logos = [_asset(assets, image, alpha.id, f"logo{n}") for n in range(3)]

    delete_first, moved = _move(folders, alpha.id, outs_of(alpha), gamma.id)

    assert delete_first, "the old folder goes first, so its codename is free"
    assert outs_of(moved)["codename"] == "alpha"
    tree = client.folders.get()
    found = tree.find(RequestReference(codename="alpha"))
    assert found is not None
    assert found[1] is not None
    assert (found[0].id, found[1].id) == (moved.id, gamma.id)
    assert [_folder_of(client, logo) for logo in logos] == [moved.id] * 3, "the assets came along"
    assert _names(tree) == ["Gamma", "Alpha"], "no parking folder is left"


@pytest.mark.usefixtures("fresh_moves")
def test_a_move_interrupted_after_the_old_folder_went_is_finished_by_the_next_run(
    make_provider: Make, client: KontentClient, image: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folders: FolderProvider = make_provider(FolderProvider)
    gamma = folders.create(_folder(folders, "Gamma"))
    alpha = folders.create(_folder(folders, "Alpha"))
    logo = _asset(make_provider(AssetProvider), image, alpha.id, "logo")
    news = _folder(folders, "Alpha", parent=gamma.id, olds=applied(outs_of(alpha)))
    assert folders.diff(alpha.id, outs_of(alpha), news).delete_before_replace
    folders.delete(alpha.id, outs_of(alpha))
    parked = _folder_of(client, logo)
    assert _names(client.folders.get()) == ["Gamma", "Moving: Alpha"]
    # The run dies here. The next one starts from the state, which still holds the old folder.
    monkeypatch.setattr(folder_move, "_moves", folder_move._Moves())
    invalidate_caches()
    folders = make_provider(FolderProvider)

    delete_first, moved = _move(folders, alpha.id, outs_of(alpha), gamma.id)

    assert delete_first
    assert outs_of(moved)["codename"] == "alpha"
    assert _folder_of(client, logo) == moved.id != parked
    assert _names(client.folders.get()) == ["Gamma", "Alpha"]


@pytest.mark.usefixtures("fresh_moves")
def test_a_folder_holding_an_editors_asset_moves_the_old_way_and_touches_nothing_of_theirs(
    make_provider: Make, client: KontentClient, image: Path
) -> None:
    folders: FolderProvider = make_provider(FolderProvider)
    gamma = folders.create(_folder(folders, "Gamma"))
    alpha = folders.create(_folder(folders, "Alpha"))
    theirs = client.assets.add(
        AssetCreate(
            file_reference=client.files.upload(image).to_request(),
            title="Editor's",
            folder=RequestReference(id=alpha.id),
        )
    )
    invalidate_caches()

    delete_first, moved = _move(folders, alpha.id, outs_of(alpha), gamma.id)

    assert not delete_first, "the stack cannot empty the folder: it is not removed first"
    assert outs_of(moved)["codename"] == "alpha_2"
    assert _folder_of(client, theirs.id) == alpha.id, "the editor's asset was not moved"


@pytest.mark.usefixtures("fresh_moves")
def test_an_empty_folder_with_its_own_external_id_keeps_both(
    make_provider: Make, client: KontentClient
) -> None:
    folders: FolderProvider = make_provider(FolderProvider)
    gamma = folders.create(_folder(folders, "Gamma"))
    props = {
        "name": "Kept",
        "parent": None,
        "codename": "kept",
        "external_id": "kept-folder",
        GENERATED: False,
    }
    kept = folders.create(folders.check({}, props).inputs)
    news = folders.check(applied(outs_of(kept)), {**props, "parent": gamma.id}).inputs

    diff = folders.diff(kept.id, outs_of(kept), news)
    assert diff.delete_before_replace
    folders.delete(kept.id, outs_of(kept))
    moved = folders.create(news)

    found = client.folders.get().find(RequestReference(external_id="kept-folder"))
    assert found is not None
    assert found[1] is not None
    assert (found[0].id, found[0].codename, found[1].id) == (moved.id, "kept", gamma.id)
