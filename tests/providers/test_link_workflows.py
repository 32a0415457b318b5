"""VariantAssetLink on variants whose workflow requires review, or that an editor deleted or archived.

The emulator follows the workflow's transitions as the reference says the API does ("you can
publish … only if the workflow allows you to"), so these are the failures a real environment gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kontent_resources.client import KontentClient
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.providers import AssetProvider, VariantAssetLinkProvider
from kontent_resources.providers.errors import KontentResourceError
from tests.emulator.test_emulator_workflows import approval_workflow, move
from tests.providers.conftest import outs_of
from tests.providers.test_asset_provider import checked, inputs
from tests.providers.test_folder_rendition_link_providers import link_props

Make = Callable[[type[Any]], Any]
ABOUT_EN = "/items/codename/about_us/variants/codename/en-US"
PUBLISHED_STEP = "c199950d-99f0-4983-b711-6c4c91624b22"


@pytest.fixture
def api(emulator: EmulatorServer) -> Iterator[httpx.Client]:
    with emulator.client() as http:
        yield http


def _published_under_review(api: httpx.Client) -> None:
    """About us, published, now in a workflow where Draft goes only to Review."""
    assert api.post("/workflows", json=approval_workflow()).status_code == 201
    assert api.put(f"{ABOUT_EN}/new-version").status_code == 204
    assert move(api, ABOUT_EN, "approval", "draft").status_code == 204
    assert move(api, ABOUT_EN, "approval", "review").status_code == 204
    assert api.put(f"{ABOUT_EN}/publish").status_code == 204


def _hero_ids(client: KontentClient, published: bool = False) -> list[str]:
    get = client.variants.get_published if published else client.variants.get
    variant = get("codename/about_us", "codename/en-US")
    assert variant is not None
    return [e["id"] for el in variant.elements if isinstance(el.value, list) for e in el.value]


def test_publish_that_would_skip_review_is_refused_before_any_write(
    make_provider: Make, emulator: EmulatorServer, api: httpx.Client, client: KontentClient, image: Path
) -> None:
    _published_under_review(api)
    assets: AssetProvider = make_provider(AssetProvider)
    links: VariantAssetLinkProvider = make_provider(VariantAssetLinkProvider)
    asset_id = assets.create(checked(assets, inputs(image))).id
    emulator.reset_counters()

    with pytest.raises(KontentResourceError) as refused:
        links.create(link_props(asset_id, item="codename/about_us", publish=True))
    message = str(refused.value)
    assert "workflow 'Approval'" in message
    assert "step 'Draft', which cannot go to Published (only to 'Review')" in message
    assert "set publish=False" in message
    writes = {k: v for k, v in emulator.counters()["by_endpoint"].items() if not k.startswith("GET")}
    assert writes == {}, "nothing written: no new version, no upsert"
    assert api.get(ABOUT_EN).json()["workflow"]["step_identifier"]["id"] == PUBLISHED_STEP

    draft = links.create(link_props(asset_id, item="codename/about_us", publish=False))
    assert outs_of(draft)["variant_state"] == "draft"
    assert _hero_ids(client) == [asset_id]
    assert _hero_ids(client, published=True) == [], "the live version waits for review"


def test_links_into_a_variant_an_editor_deleted(
    make_provider: Make, api: httpx.Client, client: KontentClient, image: Path
) -> None:
    assets: AssetProvider = make_provider(AssetProvider)
    links: VariantAssetLinkProvider = make_provider(VariantAssetLinkProvider)
    asset = assets.create(checked(assets, inputs(image)))
    link = links.create(link_props(asset.id))
    assert api.delete("/items/codename/home/variants/codename/en-US").status_code == 204

    assert links.read(link.id, outs_of(link)).id is None, "refresh drops the link with the variant"
    links.delete(link.id, outs_of(link))  # destroy after the variant went: nothing to undo
    assets.delete(asset.id, outs_of(asset))
    assert list(client.assets.list()) == [], "and the asset, no longer used, goes"


def test_link_into_an_archived_variant_names_the_fix(
    make_provider: Make, api: httpx.Client, image: Path
) -> None:
    assets: AssetProvider = make_provider(AssetProvider)
    links: VariantAssetLinkProvider = make_provider(VariantAssetLinkProvider)
    asset_id = assets.create(checked(assets, inputs(image))).id
    assert api.put(f"{ABOUT_EN}/unpublish-and-archive").status_code == 204
    with pytest.raises(KontentResourceError, match=r"archived.*Restore it to a workflow step first"):
        links.create(link_props(asset_id, item="codename/about_us"))
