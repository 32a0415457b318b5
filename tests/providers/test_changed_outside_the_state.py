"""Issue 34: what the environment already holds is not written again, though the state is older.

A re-import (``kontent-resources import``) declares what the environment holds now; the state still
holds what the last ``up`` saw. Every object edited or deleted in Kontent.ai since then is an
update or a delete for the engine, yet sending it would change nothing: the providers look first,
and the first ``up`` after a re-import writes nothing. A real change is still written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image

from kontent_resources.client import KontentClient
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.models.assets import AssetCreate, AssetDescriptionRequest, AssetUpsert
from kontent_resources.models.common import RequestReference
from kontent_resources.models.folders import FolderCreate, FolderRenameOperation
from kontent_resources.models.renditions import RenditionCreate, TransformationRequest
from kontent_resources.providers import invalidate_caches
from kontent_resources.providers.asset import AssetProvider
from kontent_resources.providers.folder import FolderProvider
from kontent_resources.providers.localfile import sha256_of
from kontent_resources.providers.rendition import RenditionProvider
from tests.providers.conftest import P, outs_of

Make = Callable[[type[P]], P]
_WRITES = ("POST", "PUT", "PATCH", "DELETE")
_CROP = {"x": 0, "y": 0, "width": 100, "height": 100, "custom_width": 50, "custom_height": 50}


def _writes(emulator: EmulatorServer) -> dict[str, int]:
    by_endpoint: dict[str, int] = emulator.counters()["by_endpoint"]
    return {endpoint: n for endpoint, n in by_endpoint.items() if endpoint.startswith(_WRITES)}


def _declared(image: Path, adopt_id: str, **overrides: Any) -> dict[str, Any]:
    props = {
        "source": image.name,
        "source_path": str(image),
        "content_sha256": sha256_of(image),
        "file_name": image.name,
        "content_type": "image/png",
        "title": "Logo",
        "descriptions": {"en-US": "The logo"},
        "adopt_id": adopt_id,
        "external_id_generated": False,
        "adopt": False,
    }
    return {**props, **overrides}


def _checked(provider: Any, olds: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
    result = provider.check(olds, props)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    inputs: dict[str, Any] = result.inputs
    return inputs


def _adopted_asset(provider: AssetProvider, client: KontentClient, image: Path) -> tuple[str, dict[str, Any]]:
    """An asset of the environment, adopted as declared: its id and the state the up saved."""
    reference = client.files.upload(image, file_name=image.name, content_type="image/png")
    asset = client.assets.add(
        AssetCreate(
            file_reference=reference.to_request(),
            title="Logo",
            descriptions=[AssetDescriptionRequest.for_language("en-US", "The logo")],
        )
    )
    created = provider.create(_checked(provider, {}, _declared(image, asset.id)))
    return asset.id, outs_of(created)


def _next_run() -> None:
    """The next `pulumi up`: a new provider process, with nothing read yet."""
    invalidate_caches()


def test_an_asset_edited_in_kontent_as_the_program_now_declares_it_is_not_written_again(
    make_provider: Make[AssetProvider],
    client: KontentClient,
    emulator: EmulatorServer,
    image: Path,
    tmp_path: Path,
) -> None:
    provider = make_provider(AssetProvider)
    asset_id, state = _adopted_asset(provider, client, image)
    edited = tmp_path / "edited" / image.name
    edited.parent.mkdir()
    Image.new("RGB", (800, 400), "navy").save(edited)
    reference = client.files.upload(edited, file_name=image.name, content_type="image/png")
    client.assets.upsert(
        asset_id,
        AssetUpsert(
            title="Edited in Kontent.ai",
            file_reference=reference.to_request(),
            descriptions=[AssetDescriptionRequest.for_language("en-US", "The logo")],
        ),
    )
    before = client.assets.get(asset_id)
    _next_run()
    emulator.reset_counters()
    news = _checked(provider, state, _declared(edited, asset_id, title="Edited in Kontent.ai"))
    updated = provider.update(asset_id, state, news)
    assert _writes(emulator) == {}, "the new title and file are there already: no upload, no write"
    assert client.assets.get(asset_id) == before
    assert outs_of(updated)["title"] == "Edited in Kontent.ai"

    _next_run()
    emulator.reset_counters()
    state = outs_of(updated)
    ours = _checked(provider, state, _declared(edited, asset_id, title="Ours"))
    provider.update(asset_id, state, ours)
    assert _writes(emulator) == {"PUT /assets/{ref}": 1}, "a real change is written"
    assert client.assets.get(asset_id).title == "Ours"


def test_an_asset_deleted_in_kontent_is_not_deleted_again(
    make_provider: Make[AssetProvider], client: KontentClient, emulator: EmulatorServer, image: Path
) -> None:
    provider = make_provider(AssetProvider)
    asset_id, state = _adopted_asset(provider, client, image)
    client.assets.delete(asset_id)
    _next_run()
    emulator.reset_counters()
    provider.delete(asset_id, state)
    assert _writes(emulator) == {}, "no DELETE for what is gone"


def test_a_folder_renamed_and_a_rendition_changed_in_kontent_are_not_written_again(
    make_provider: Make[Any], client: KontentClient, emulator: EmulatorServer, image: Path
) -> None:
    folder = client.folders.add([FolderCreate(name="Brand")]).folders[0]
    folders: FolderProvider = make_provider(FolderProvider)
    folder_props = {"name": "Brand", "adopt_id": folder.id, "external_id_generated": False}
    folder_state = outs_of(folders.create(_checked(folders, {}, folder_props)))
    assets: AssetProvider = make_provider(AssetProvider)
    asset_id, _ = _adopted_asset(assets, client, image)
    crop = TransformationRequest.model_validate(_CROP)
    rendition = client.renditions.add(asset_id, RenditionCreate(transformation=crop))
    renditions: RenditionProvider = make_provider(RenditionProvider)
    rendition_props = {
        "asset": asset_id,
        "transformation": _CROP,
        "adopt_id": rendition.rendition_id,
        "external_id_generated": False,
    }
    rendition_state = outs_of(renditions.create(_checked(renditions, {}, rendition_props)))

    client.folders.patch(
        [FolderRenameOperation(reference=RequestReference(id=folder.id), value="Brand 2026")]
    )
    wider = {**_CROP, "width": 200, "custom_width": 100}
    client.renditions.modify(asset_id, rendition.rendition_id, TransformationRequest.model_validate(wider))
    _next_run()
    emulator.reset_counters()
    renamed = folders.update(
        folder.id, folder_state, _checked(folders, folder_state, {**folder_props, "name": "Brand 2026"})
    )
    changed = renditions.update(
        rendition.rendition_id,
        rendition_state,
        _checked(renditions, rendition_state, {**rendition_props, "transformation": wider}),
    )
    assert _writes(emulator) == {}
    assert outs_of(renamed)["name"] == "Brand 2026"
    assert outs_of(changed)["transformation"]["width"] == 200

    _next_run()
    folders.update(folder.id, outs_of(renamed), {**folder_props, "name": "Brand 2027"})
    assert _writes(emulator) == {"PATCH /folders": 1}, "a real rename is written"
