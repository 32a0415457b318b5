"""FolderProvider, RenditionProvider and VariantAssetLinkProvider called directly, after a dill round-trip."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from kontent_resources.client import KontentClient
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.models.assets import AssetCreate
from kontent_resources.models.common import RequestReference
from kontent_resources.models.folders import folder_rename
from kontent_resources.models.variants import AssetElementValue, VariantElementUpsert
from kontent_resources.providers import (
    AssetProvider,
    FolderProvider,
    RenditionProvider,
    VariantAssetLinkProvider,
    invalidate_caches,
)
from kontent_resources.providers.base import KontentProvider
from kontent_resources.providers.errors import KontentResourceError
from tests.providers.conftest import outs_of, unknown
from tests.providers.test_asset_provider import checked, inputs

Make = Callable[[type[Any]], Any]


def folder_props(name: str, parent: str | None = None, external_id: str | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "parent": parent,
        "codename": None,
        "external_id": external_id or f"test:folder:{name}",
        "external_id_generated": True,
        "adopt": False,
    }


def test_folder_crud(make_provider: Make, client: KontentClient) -> None:
    provider: FolderProvider = make_provider(FolderProvider)
    brand = provider.create(folder_props("Brand"))
    logos = provider.create(folder_props("Logos", parent=brand.id))
    assert outs_of(logos)["parent_id"] == brand.id
    assert provider.create(folder_props("Brand")).id == brand.id, "a retried create adopts"

    renamed = provider.update(logos.id, outs_of(logos), {**folder_props("Logotypes", parent=brand.id)})
    assert outs_of(renamed)["name"] == "Logotypes"
    assert provider.read(logos.id, outs_of(renamed)).outs == outs_of(renamed)

    client.folders.patch([folder_rename(RequestReference(id=brand.id), "Elsewhere")])
    invalidate_caches()
    drifted = provider.read(brand.id, outs_of(brand))
    assert drifted.inputs is not None
    assert drifted.inputs["name"] == "Elsewhere"

    provider.delete(logos.id, outs_of(renamed))
    provider.delete(brand.id, outs_of(brand))
    assert client.folders.get().folders == []
    invalidate_caches()
    assert provider.read(brand.id, outs_of(brand)).id is None


def test_folder_with_assets_cannot_be_removed(make_provider: Make, image: Path) -> None:
    folders: FolderProvider = make_provider(FolderProvider)
    assets: AssetProvider = make_provider(AssetProvider)
    brand = folders.create(folder_props("Brand"))
    assets.create(checked(assets, inputs(image, folder=brand.id)))
    with pytest.raises(KontentResourceError, match="still holds assets"):
        folders.delete(brand.id, outs_of(brand))


def test_folder_check(make_provider: Make) -> None:
    provider: FolderProvider = make_provider(FolderProvider)
    failures = provider.check({}, {**folder_props(""), "codename": "Not OK", "parent": "logos"}).failures
    assert {f.property for f in failures} == {"name", "codename", "parent"}


TRANSFORM = {"x": 0, "y": 0, "width": 400, "height": 400, "custom_width": 200, "custom_height": 100}


def rendition_props(asset_id: str, **overrides: Any) -> dict[str, Any]:
    props = {
        "asset": asset_id,
        "transformation": dict(TRANSFORM),
        "external_id": "test:rendition:thumb",
        "external_id_generated": True,
        "adopt": False,
        "image_width": 800,
        "image_height": 400,
    }
    return {**props, **overrides}


def test_rendition_crud(
    make_provider: Make, client: KontentClient, image: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assets: AssetProvider = make_provider(AssetProvider)
    provider: RenditionProvider = make_provider(RenditionProvider)
    asset = assets.create(checked(assets, inputs(image)))
    created = provider.create(rendition_props(asset.id))
    assert client.renditions.get(asset.id, created.id).transformation.custom_height == 100
    assert provider.create(rendition_props(asset.id)).id == created.id, "a retried create adopts"

    changed = rendition_props(asset.id, transformation={**TRANSFORM, "custom_width": 100})
    assert provider.diff(created.id, outs_of(created), changed).replaces == []
    provider.update(created.id, outs_of(created), changed)
    assert client.renditions.get(asset.id, created.id).transformation.custom_width == 100
    reread = provider.read(created.id, outs_of(created))
    assert reread.inputs is not None
    assert reread.inputs["transformation"]["custom_width"] == 100

    provider.delete(created.id, outs_of(created))
    assert "cannot delete renditions" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("transformation", "message"),
    [
        ({**TRANSFORM, "x": 500}, "image is 800x400"),
        ({**TRANSFORM, "custom_width": 500}, "does not upscale"),
        ({**TRANSFORM, "width": 0}, "greater than 0"),
    ],
)
def test_rendition_check(make_provider: Make, transformation: dict[str, int], message: str) -> None:
    provider: RenditionProvider = make_provider(RenditionProvider)
    # The asset as at a first preview, an output not known yet: only the transformation is judged.
    failures = provider.check({}, rendition_props(unknown(), transformation=transformation)).failures
    assert [f.property for f in failures] == ["transformation"]
    assert message in failures[0].reason


def link_props(asset_id: str, item: str = "codename/home", **overrides: Any) -> dict[str, Any]:
    props = {
        "item": item,
        "language": "codename/en-US",
        "element": "hero_image",
        "asset": asset_id,
        "renditions": None,
        "publish": False,
    }
    return {**props, **overrides}


def test_concurrent_links_on_one_variant_lose_nothing(
    make_provider: Make, client: KontentClient, tmp_path: Path
) -> None:
    assets: AssetProvider = make_provider(AssetProvider)
    links: VariantAssetLinkProvider = make_provider(VariantAssetLinkProvider)
    ids = []
    for i in range(6):
        source = tmp_path / f"doc{i}.txt"
        source.write_text(f"document {i}")
        path = f"pulumi-python:dynamic/kontent:Asset::doc{i}"
        ids.append(assets.create(checked(assets, inputs(source, identity_path=path))).id)
    threads = [threading.Thread(target=links.create, args=(link_props(asset_id),)) for asset_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    variant = client.variants.get("codename/home", "codename/en-US")
    linked = {
        entry["id"]
        for element in variant.elements
        if isinstance(element.value, list)
        for entry in element.value
    }
    assert set(ids) <= linked


def test_link_errors_name_the_fix(make_provider: Make, image: Path) -> None:
    assets: AssetProvider = make_provider(AssetProvider)
    links: VariantAssetLinkProvider = make_provider(VariantAssetLinkProvider)
    asset_id = assets.create(checked(assets, inputs(image))).id
    with pytest.raises(KontentResourceError, match=r"type rich_text.*asset elements: hero_image"):
        links.create(link_props(asset_id, element="body"))
    with pytest.raises(KontentResourceError, match=r"not a language.*codename/es-ES"):
        links.create(link_props(asset_id, language="codename/fr-FR"))
    with pytest.raises(KontentResourceError, match="404"):
        links.create(link_props(asset_id, item="codename/nope"))


def test_unconfigured_provider_explains_the_config_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    from pulumi.dynamic import ConfigureRequest
    from pulumi.dynamic.config import Config

    for var in ("KONTENT_ENVIRONMENT_ID", "KONTENT_API_KEY", "KONTENT_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    provider: KontentProvider = AssetProvider()
    provider.configure(ConfigureRequest(Config({}, "p")))
    with pytest.raises(KontentResourceError, match="pulumi config set kontent:environmentId"):
        _ = provider.env


@pytest.mark.parametrize("form", ["id", "codename", "external-id"])
def test_a_link_by_any_asset_form_touches_only_its_asset(
    make_provider: Make, client: KontentClient, tmp_path: Path, form: str
) -> None:
    """Issue 13: the API answers asset references by id only; a codename or external-id reference
    must still find its own entry, never an editor's (None == None), and leave the editor's alone."""
    assets: AssetProvider = make_provider(AssetProvider)
    links: VariantAssetLinkProvider = make_provider(VariantAssetLinkProvider)
    (tmp_path / "editor.txt").write_text("the editor's")
    (tmp_path / "ours.txt").write_text("the stack's")
    editor_id = assets.create(checked(assets, inputs(tmp_path / "editor.txt", identity_path="editor"))).id
    ours_id = assets.create(checked(assets, inputs(tmp_path / "ours.txt", identity_path="ours"))).id
    editors_entry = AssetElementValue.of(RequestReference(id=editor_id))
    element = VariantElementUpsert.assets(RequestReference(codename="hero_image"), [editors_entry])
    client.variants.upsert("codename/home", "codename/en-US", [element])
    ours = client.assets.get(ours_id)
    ref = {
        "id": ours_id,
        "codename": f"codename/{ours.codename}",
        "external-id": f"external-id/{ours.external_id}",
    }

    def linked() -> list[str]:
        variant = client.variants.get("codename/home", "codename/en-US")
        return [e["id"] for el in variant.elements if isinstance(el.value, list) for e in el.value]

    props = link_props(ref[form])
    created = links.create(props)
    assert linked() == [editor_id, ours_id]
    assert outs_of(created)["asset_id"] == ours_id
    assert links.read(created.id, {**props, **outs_of(created)}).id == created.id, "refresh keeps the link"
    links.delete(created.id, {**props, **outs_of(created)})
    assert linked() == [editor_id], "only the stack's reference went"


def test_each_distinct_reference_is_looked_up_once_per_deployment(
    make_provider: Make, client: KontentClient, emulator: EmulatorServer, tmp_path: Path
) -> None:
    """Issue 13: links that name the same item and asset by codename cost one lookup of each."""
    links: VariantAssetLinkProvider = make_provider(VariantAssetLinkProvider)
    codenames = []
    for name in ("a", "b"):
        source = tmp_path / f"{name}.txt"
        source.write_text(name)
        file = client.files.upload(source).to_request()
        codenames.append(
            client.assets.add(AssetCreate(file_reference=file, codename=f"shared_{name}")).codename
        )
    targets = [
        link_props(f"codename/{codename}", language=language)
        for codename in codenames
        for language in ("codename/en-US", "codename/es-ES")
    ]
    before = emulator.counters()["by_endpoint"]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(links.create, targets))
    after = emulator.counters()["by_endpoint"]
    lookups = {k: after.get(k, 0) - before.get(k, 0) for k in ("GET /items/{ref}", "GET /assets/{ref}")}
    assert lookups == {"GET /items/{ref}": 1, "GET /assets/{ref}": 2}, after
