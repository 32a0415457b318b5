"""Adopting an existing object writes only what differs from the declaration (issue 18).

Each test seeds the object through the API, as someone else would have made it, then calls the
provider as the engine would and reads the emulator's counters for what was written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kontent_resources.client import KontentClient
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.models.assets import AssetCreate, AssetDescriptionRequest
from kontent_resources.models.common import RequestReference
from kontent_resources.models.folders import FolderCreate
from kontent_resources.models.renditions import RenditionCreate, TransformationRequest
from kontent_resources.providers.asset import AssetProvider
from kontent_resources.providers.errors import KontentResourceError
from kontent_resources.providers.folder import FolderProvider
from kontent_resources.providers.localfile import sha256_of
from kontent_resources.providers.rendition import RenditionProvider
from tests.providers.conftest import P, outs_of

Make = Callable[[type[P]], P]
_WRITES = ("POST", "PUT", "PATCH", "DELETE")


def _writes(emulator: EmulatorServer) -> dict[str, int]:
    by_endpoint: dict[str, int] = emulator.counters()["by_endpoint"]
    return {endpoint: n for endpoint, n in by_endpoint.items() if endpoint.startswith(_WRITES)}


def _their_asset(client: KontentClient, image: Path, folder_id: str | None = None) -> str:
    """An asset made in the Kontent.ai UI: no external id."""
    reference = client.files.upload(image, file_name=image.name, content_type="image/png")
    asset = client.assets.add(
        AssetCreate(
            file_reference=reference.to_request(),
            title="Their logo",
            folder=RequestReference(id=folder_id) if folder_id else None,
            descriptions=[AssetDescriptionRequest.for_language("en-US", "The logo")],
        )
    )
    return asset.id


def _declared(image: Path, adopt_id: str, **overrides: Any) -> dict[str, Any]:
    props = {
        "source": image.name,
        "source_path": str(image),
        "content_sha256": sha256_of(image),
        "file_name": image.name,
        "content_type": "image/png",
        "title": "Their logo",
        "descriptions": {"en-US": "The logo"},
        "adopt_id": adopt_id,
        "external_id_generated": False,
        "adopt": False,
    }
    return {**props, **overrides}


def _checked(
    provider: AssetProvider | FolderProvider | RenditionProvider, props: dict[str, Any]
) -> dict[str, Any]:
    result = provider.check({}, props)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return result.inputs


def test_an_asset_as_declared_is_adopted_by_id_without_a_write(
    make_provider: Make[AssetProvider], client: KontentClient, emulator: EmulatorServer, image: Path
) -> None:
    asset_id = _their_asset(client, image)
    before = client.assets.get(asset_id)
    provider = make_provider(AssetProvider)
    emulator.reset_counters()
    created = provider.create(_checked(provider, _declared(image, asset_id)))
    assert created.id == asset_id
    assert _writes(emulator) == {}
    assert client.assets.get(asset_id) == before
    assert outs_of(created)["external_id"] is None, "the API sets external ids only at creation"
    reread = provider.read(asset_id, outs_of(created))
    assert reread.inputs is not None
    assert reread.inputs["content_sha256"] == sha256_of(image), "no drift on the next refresh"


def test_a_different_title_is_one_write_and_different_bytes_an_upload(
    make_provider: Make[AssetProvider],
    client: KontentClient,
    emulator: EmulatorServer,
    image: Path,
    tmp_path: Path,
) -> None:
    provider = make_provider(AssetProvider)
    retitled = _their_asset(client, image)
    emulator.reset_counters()
    provider.create(_checked(provider, _declared(image, retitled, title="Our logo")))
    assert _writes(emulator) == {"PUT /assets/{ref}": 1}, "the metadata only: no upload"
    assert client.assets.get(retitled).title == "Our logo"

    replaced = _their_asset(client, image)
    other = tmp_path / "other" / image.name
    other.parent.mkdir()
    Image.new("RGB", (800, 400), "navy").save(other)  # same name and size class, other bytes
    emulator.reset_counters()
    provider.create(_checked(provider, _declared(other, replaced)))
    writes = _writes(emulator)
    assert sum(n for e, n in writes.items() if e.startswith("POST /files")) == 1, writes
    assert client.assets.get(replaced).size == other.stat().st_size


def test_adopt_id_of_nothing_or_with_an_external_id_is_refused(
    make_provider: Make[AssetProvider], image: Path
) -> None:
    provider = make_provider(AssetProvider)
    # Checked offline: the preview refuses it as well (test_environment_checks.py); this is create's
    # own refusal, for an asset deleted between the preview and the up.
    offline = AssetProvider()
    with pytest.raises(KontentResourceError, match="adopt_id: there is no asset"):
        provider.create(_checked(offline, _declared(image, "00000000-0000-4000-8000-00000000abcd")))
    both = provider.check({}, _declared(image, "x", external_id="brand-logo"))
    assert [f.property for f in both.failures] == ["adopt_id"]
    assert "Keep one of them" in both.failures[0].reason


def test_a_folder_and_a_rendition_as_declared_are_adopted_without_a_write(
    make_provider: Make[Any], client: KontentClient, emulator: EmulatorServer, image: Path
) -> None:
    tree = client.folders.add([FolderCreate(name="Their folder")])
    folder = tree.folders[0]
    asset_id = _their_asset(client, image, folder.id)
    crop = TransformationRequest(x=0, y=0, width=100, height=100, custom_width=50, custom_height=50)
    rendition = client.renditions.add(asset_id, RenditionCreate(transformation=crop))
    folders: FolderProvider = make_provider(FolderProvider)
    renditions: RenditionProvider = make_provider(RenditionProvider)
    emulator.reset_counters()
    adopted_folder = folders.create(
        _checked(folders, {"name": "Their folder", "adopt_id": folder.id, "external_id_generated": False})
    )
    rendition_props = {
        "asset": asset_id,
        "transformation": crop.model_dump(
            include={"x", "y", "width", "height", "custom_width", "custom_height"}
        ),
        "adopt_id": rendition.rendition_id,
        "external_id_generated": False,
    }
    adopted_rendition = renditions.create(_checked(renditions, rendition_props))
    assert (adopted_folder.id, adopted_rendition.id) == (folder.id, rendition.rendition_id)
    assert _writes(emulator) == {}

    renamed = folders.create(
        _checked(folders, {"name": "Renamed", "adopt_id": folder.id, "external_id_generated": False})
    )
    assert outs_of(renamed)["name"] == "Renamed"
    assert list(_writes(emulator)) == ["PATCH /folders"]


def test_adoption_never_fetches_a_file_from_outside_the_asset_hosts(tmp_path: Path) -> None:
    """Issue 36 (R3-7, provider side): an API answer naming a local or private URL for the asset's file
    is not followed when the API itself is remote; adoption then uploads the local file instead."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    from kontent_resources.client.downloads import AssetDownloads, AssetHosts
    from kontent_resources.models import Asset
    from kontent_resources.providers.adoption import same_file
    from kontent_resources.providers.inputs import AssetInputs

    hits: list[str] = []

    class Victim(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

    victim = ThreadingHTTPServer(("127.0.0.1", 0), Victim)
    Thread(target=victim.serve_forever, daemon=True).start()
    source = tmp_path / "logo.png"
    source.write_bytes(b"local bytes")
    existing = Asset(
        id="9f0e3f3a-1b6e-4d0e-9c1f-2f6c3c1d2e4f", file_name="logo.png", type="image/png", size=11,
        url=f"http://127.0.0.1:{victim.server_port}/internal-admin",
    )  # fmt: skip
    props = {"file_name": "logo.png", "content_type": "image/png", "source_path": str(source),
             "content_sha256": sha256_of(source)}  # fmt: skip
    hosts = AssetHosts.for_base_url("https://manage.kontent.ai/v2")
    try:
        with AssetDownloads(hosts=hosts) as downloads:
            assert same_file(existing, AssetInputs.of(props), downloads) is False
    finally:
        victim.shutdown()
    assert hits == []
