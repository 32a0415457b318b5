"""Every request the providers send goes to a documented endpoint with a body its schema allows.

The providers are driven through every resource's lifecycle (create, update of each kind, read,
delete; a link into a published variant with publish) while every HTTP request is recorded; each
is then matched to its record in ``mapi-v2-endpoints.json`` and its JSON body checked against the
documented body parameters. The emulator accepting a body proves nothing about Kontent.ai: this
checks what the toolkit sends against what the reference says it may send.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from kontent_resources.providers import (
    AssetProvider,
    FolderProvider,
    RenditionProvider,
    VariantAssetLinkProvider,
    invalidate_caches,
)
from tests.providers.conftest import outs_of
from tests.providers.test_asset_provider import checked, inputs
from tests.providers.test_folder_rendition_link_providers import folder_props, link_props, rendition_props

from .reference_schema import body_problems, endpoint_for, load_endpoints

pytestmark = pytest.mark.recorded_reference

Make = Callable[[type[Any]], Any]


@dataclass(frozen=True)
class Sent:
    method: str
    path: str  # after ``/v2/projects/{environment_id}``
    body: Any  # the JSON body, or None for none / a binary upload


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[Sent]:
    recorded: list[Sent] = []
    original = httpx.Client.send

    def recording(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        path = request.url.path
        if "/v2/projects/" in path:
            rest = path.split("/v2/projects/", 1)[1].split("/", 1)
            is_json = request.headers.get("content-type", "").startswith("application/json")
            body = json.loads(request.content) if is_json and request.content else None
            recorded.append(Sent(request.method, "/" + (rest[1] if len(rest) > 1 else ""), body))
        return original(self, request, **kwargs)

    monkeypatch.setattr(httpx.Client, "send", recording)
    return recorded


def _lifecycle(make: Make, tmp_path: Path) -> None:
    folders: FolderProvider = make(FolderProvider)
    assets: AssetProvider = make(AssetProvider)
    renditions: RenditionProvider = make(RenditionProvider)
    links: VariantAssetLinkProvider = make(VariantAssetLinkProvider)

    brand = folders.create({**folder_props("Brand"), "codename": "brand"})
    logos = folders.create(folder_props("Logos", parent=brand.id))
    moved = folders.update(logos.id, outs_of(logos), folder_props("Logotypes"))

    image = tmp_path / "logo.png"
    Image.new("RGB", (800, 400), "orange").save(image)
    everything = {
        "folder": logos.id,
        "collection": "codename/default",
        "codename": "logo",
        "title": "Logo",
        "descriptions": {"en-US": "Logo", "es-ES": "Logotipo"},
    }
    asset = assets.create(checked(assets, inputs(image, **everything)))
    untitled = assets.create(
        checked(assets, inputs(image, title=None, descriptions=None, identity_path="other", folder=brand.id))
    )
    Image.new("RGB", (600, 300), "navy").save(image)
    changed = {**everything, "title": "New logo", "descriptions": {"en-US": "New"}, "folder": None}
    updated = assets.update(asset.id, outs_of(asset), checked(assets, inputs(image, **changed)))

    size = {"image_width": 600, "image_height": 300}
    square = {"x": 0, "y": 0, "width": 300, "height": 300, "custom_width": 200, "custom_height": 200}
    rendition = renditions.create(rendition_props(asset.id, transformation=square, **size))
    smaller = {**square, "custom_width": 100, "custom_height": 100}
    renditions.update(
        rendition.id, outs_of(rendition), rendition_props(asset.id, transformation=smaller, **size)
    )

    published = link_props(asset.id, item="codename/about_us", publish=True, renditions=[rendition.id])
    link = links.create(published)
    relinked = links.update(link.id, outs_of(link), {**published, "renditions": None})
    draft = links.create(link_props(untitled.id))
    invalidate_caches()
    links.read(link.id, outs_of(relinked))
    assets.read(asset.id, outs_of(updated))
    folders.read(logos.id, outs_of(moved))

    links.delete(link.id, outs_of(relinked))
    links.delete(draft.id, outs_of(draft))
    for asset_id, outs in ((asset.id, outs_of(updated)), (untitled.id, outs_of(untitled))):
        assets.delete(asset_id, outs)
    folders.delete(logos.id, outs_of(moved))
    folders.delete(brand.id, outs_of(brand))


def test_every_request_body_matches_the_reference_schema(
    make_provider: Make, sent: list[Sent], tmp_path: Path
) -> None:
    _lifecycle(make_provider, tmp_path)
    endpoints = load_endpoints()
    undocumented = sorted(
        {f"{s.method} {s.path}" for s in sent if endpoint_for(endpoints, s.method, s.path) is None}
    )
    assert undocumented == [], "requests to endpoints the reference does not document"

    problems: dict[str, list[str]] = {}
    used: set[str] = set()
    for request in sent:
        endpoint = endpoint_for(endpoints, request.method, request.path)
        assert endpoint is not None
        used.add(endpoint.name)
        if request.body is not None:
            found = body_problems(endpoint, request.body)
            if found:
                context = json.dumps(request.body)
                problems.setdefault(endpoint.name, []).extend(f"{p} in {context}" for p in found)
    assert problems == {}

    writes = {name for name in used if not name.startswith("GET ")}
    assert writes >= {
        "POST /files/{file_name}",
        "PUT /assets/{asset_identifier}",
        "DELETE /assets/{asset_identifier}",
        "PATCH /folders",
        "POST /assets/{asset_identifier}/renditions",
        "PUT /assets/{asset_identifier}/renditions/{rendition_identifier}",
        "PUT /items/{item_identifier}/variants/{language_identifier}",
        "PUT /items/{item_identifier}/variants/{language_identifier}/new-version",
        "PUT /items/{item_identifier}/variants/{language_identifier}/publish",
    }, "the lifecycle must exercise every kind of write the providers make"


@pytest.mark.parametrize(
    ("method", "path", "body", "problem"),
    [
        # What the toolkit sent before the titles fix: the upsert's title is non-nullable.
        ("PUT", "/assets/external-id/x", {"file_reference": {"id": "f", "type": "internal"}, "title": None},
         "$.title: null, but the property is non-nullable"),
        ("PUT", "/assets/external-id/x", {"title": "Logo"}, "$.file_reference: required but missing"),
        ("POST", "/assets/codename/logo/renditions", {"transformation": {"mode": "rect"}, "name": "x"},
         "$.name: not a documented property"),
        ("PUT", "/items/codename/home/variants/codename/en-US", {"elements": {}},
         "$.elements: expected array, got dict {}"),
    ],
)  # fmt: skip
def test_the_schema_check_finds_what_the_reference_forbids(
    method: str, path: str, body: Any, problem: str
) -> None:
    endpoint = endpoint_for(load_endpoints(), method, path)
    assert endpoint is not None
    assert problem in body_problems(endpoint, body)
