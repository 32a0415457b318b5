"""What the providers say about objects that go away: a rendition deleted together with its asset
(no warning), one whose asset stays (a warning), a folder deleted in Kontent.ai (run refresh).

Each "deployment" starts with ``invalidate_caches()``, as a new provider process starts with nothing
recorded; the engine then diffs every resource the program declares before any delete (issue 34).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kontent_resources.client import KontentClient
from kontent_resources.models.assets import AssetUpsert
from kontent_resources.models.common import RequestReference
from kontent_resources.models.folders import folder_remove
from kontent_resources.providers import AssetProvider, FolderProvider, RenditionProvider, invalidate_caches
from kontent_resources.providers.errors import KontentResourceError
from tests.providers.conftest import outs_of
from tests.providers.test_asset_provider import checked, inputs
from tests.providers.test_folder_rendition_link_providers import folder_props, rendition_props

Make = Callable[[type[Any]], Any]


def _asset_with_rendition(make_provider: Make, image: Path, *, asset_in_stack: bool) -> tuple[Any, Any, Any]:
    assets: AssetProvider = make_provider(AssetProvider)
    renditions: RenditionProvider = make_provider(RenditionProvider)
    asset = assets.create(checked(assets, inputs(image)))
    rendition = renditions.create(rendition_props(asset.id, asset_in_stack=asset_in_stack))
    return assets, asset, rendition


def test_a_destroy_deletes_renditions_with_their_asset_without_a_warning(
    make_provider: Make, image: Path, client: KontentClient, capsys: pytest.CaptureFixture[str]
) -> None:
    assets, asset, rendition = _asset_with_rendition(make_provider, image, asset_in_stack=True)
    capsys.readouterr()

    invalidate_caches()  # the destroy: no program, so no diff; the asset's delete comes next
    make_provider(RenditionProvider).delete(rendition.id, outs_of(rendition))
    assets.delete(asset.id, outs_of(asset))
    assert "cannot delete renditions" not in capsys.readouterr().err
    assert [a.id for a in client.assets.list()] == [], "the asset, and with it the rendition, is gone"


def test_a_rendition_removed_from_an_asset_that_stays_warns(
    make_provider: Make, image: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assets, asset, rendition = _asset_with_rendition(make_provider, image, asset_in_stack=True)
    capsys.readouterr()

    invalidate_caches()  # an up whose program still declares the asset: its diff comes first
    assert assets.diff(asset.id, outs_of(asset), checked(assets, inputs(image))).changes is False
    make_provider(RenditionProvider).delete(rendition.id, outs_of(rendition))
    warning = capsys.readouterr().err
    assert (
        f"rendition {rendition.id} of asset {asset.id} was removed from the stack but still exists" in warning
    )
    assert "goes away when its asset is deleted" in warning


def test_a_rendition_of_an_asset_outside_the_stack_warns_in_a_destroy(
    make_provider: Make, image: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The program gave the asset as an id or reference: the stack does not delete the asset."""
    _, asset, rendition = _asset_with_rendition(make_provider, image, asset_in_stack=False)
    capsys.readouterr()

    invalidate_caches()
    make_provider(RenditionProvider).delete(rendition.id, outs_of(rendition))
    assert f"rendition {rendition.id} of asset {asset.id}" in capsys.readouterr().err


def test_a_folder_deleted_in_kontent_ai_is_fixed_by_refresh(
    make_provider: Make, image: Path, client: KontentClient
) -> None:
    folders: FolderProvider = make_provider(FolderProvider)
    assets: AssetProvider = make_provider(AssetProvider)
    brand = folders.create(folder_props("Brand"))
    asset = assets.create(checked(assets, inputs(image, folder=brand.id)))
    # Someone empties the folder and deletes it in the UI.
    client.assets.upsert(asset.id, AssetUpsert(folder=RequestReference.root_folder(), title="Logo"))
    client.folders.patch([folder_remove(RequestReference(id=brand.id))])

    invalidate_caches()  # the next up: the program is unchanged but for the asset's title
    assert folders.diff(brand.id, outs_of(brand), folder_props("Brand")).changes is False
    retitled = assets.check(outs_of(asset), inputs(image, folder=brand.id, title="Logo 2"))
    assert retitled.failures == [], "the folder did not change since the last up: preview trusts it"
    with pytest.raises(KontentResourceError) as refused:
        assets.update(asset.id, outs_of(asset), retitled.inputs)
    message = str(refused.value)
    assert f"folder: folder {brand.id} of this stack no longer exists in Kontent.ai" in message
    assert "fix: run `pulumi refresh`" in message
    assert "id output" not in message


def test_a_folder_id_no_resource_keeps_names_both_fixes(make_provider: Make, image: Path) -> None:
    assets: AssetProvider = make_provider(AssetProvider)
    asset = assets.create(checked(assets, inputs(image)))
    gone = "3f7b1f2e-0000-4000-8000-000000000001"
    invalidate_caches()
    with pytest.raises(KontentResourceError) as refused:
        assets.update(asset.id, outs_of(asset), {**checked(assets, inputs(image)), "folder": gone})
    message = str(refused.value)
    assert f"there is no folder with id '{gone}'" in message
    assert "if it is the id of a Folder resource of this stack, run `pulumi refresh`" in message
    assert "'codename/<x>' or 'external-id/<x>' of an existing folder" in message
