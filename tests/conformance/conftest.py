"""One emulator for the conformance suite, populated with every kind of object once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from kontent_resources.emulator import EmulatorServer
from tests.images import jpeg_bytes
from tests.providers.conftest import emulator, make_provider  # noqa: F401  (for test_request_bodies)

TRANSFORMATION = {"mode": "rect", "fit": "clip", "x": 0, "y": 30, "width": 500, "height": 100,
                  "custom_width": 250, "custom_height": 50}  # fmt: skip


@dataclass
class World:
    """Responses recorded while building a representative environment."""

    responses: dict[str, httpx.Response]
    client: httpx.Client

    def json(self, name: str) -> Any:
        return self.responses[name].json()


def _build(client: httpx.Client) -> dict[str, httpx.Response]:
    recorded: dict[str, httpx.Response] = {}

    def keep(name: str, response: httpx.Response, status: int) -> httpx.Response:
        assert response.status_code == status, f"{name}: {response.status_code} {response.text}"
        recorded[name] = response
        return response

    tree = {"folders": [{"name": "Downloads", "external_id": "downloads", "folders": [{"name": "Archives"}]},
                        {"name": "Legal documents", "external_id": "legal"}]}  # fmt: skip
    keep("folders_post", client.post("/folders", json=tree), 201)
    ops = [
        {
            "op": "addInto",
            "value": {"name": "Shared", "external_id": "shared"},
            "before": {"external_id": "downloads"},
        },
        {"op": "rename", "reference": {"external_id": "legal"}, "value": "Legal"},
    ]
    keep("folders_patch", client.patch("/folders", json=ops), 200)
    keep("folders_get", client.get("/folders"), 200)
    upload = client.post(
        "/files/brno-cafe-1080px.jpg", content=jpeg_bytes(), headers={"Content-Type": "image/jpeg"}
    )
    file_id = keep("file_upload", upload, 200).json()["id"]
    asset_body = {
        "file_reference": {"id": file_id, "type": "internal"},
        "title": "Brno cafe",
        "external_id": "brno-cafe",
        "codename": "brno_cafe",
        "folder": {"external_id": "downloads"},
        "collection": {"reference": {"codename": "default"}},
        "descriptions": [{"language": {"codename": "en-US"}, "description": "Cafe in Brno"},
                         {"language": {"codename": "es-ES"}, "description": "Café en Brno"}],
        "elements": [{"element": {"codename": "taxonomy_categories"}, "value": [{"codename": "coffee"}]}],
    }  # fmt: skip
    asset = keep("asset_post", client.post("/assets", json=asset_body), 201).json()
    keep("asset_upsert", client.put("/assets/external-id/brno-cafe", json={"title": "Brno Cafe"}), 200)
    keep("asset_get", client.get(f"/assets/{asset['id']}"), 200)
    keep("assets_list", client.get("/assets"), 200)
    renditions = f"/assets/{asset['id']}/renditions"
    body = {"transformation": TRANSFORMATION, "external_id": "hero-rendition"}
    rendition = keep("rendition_post", client.post(renditions, json=body), 201).json()
    keep("rendition_get", client.get(f"{renditions}/{rendition['rendition_id']}"), 200)
    keep(
        "rendition_put",
        client.put(f"{renditions}/external-id/hero-rendition", json={"transformation": TRANSFORMATION}),
        200,
    )
    keep("renditions_list", client.get(renditions), 200)
    hero = [{"id": asset["id"], "renditions": [{"id": rendition["rendition_id"]}]}]
    elements = [
        {"element": {"codename": "hero_image"}, "value": hero},
        {"element": {"codename": "title"}, "value": "Home"},
    ]
    keep(
        "variant_put",
        client.put("/items/codename/home/variants/codename/en-US", json={"elements": elements}),
        200,
    )
    keep("variant_get", client.get("/items/codename/home/variants/codename/en-US"), 200)
    keep("variants_list", client.get("/items/codename/home/variants"), 200)
    keep("languages_list", client.get("/languages"), 200)
    keep("language_get", client.get("/languages/codename/es-ES"), 200)
    keep("collections_list", client.get("/collections"), 200)
    keep("type_get", client.get("/types/codename/article"), 200)
    new_type = {
        "name": "Hosted video",
        "external_id": "xyz",
        "content_groups": [{"name": "My first group", "external_id": "first-group"}],
        "elements": [
            {"name": "Video ID", "type": "text", "guidelines": "", "is_non_localizable": True,
             "content_group": {"external_id": "first-group"}},
        ],
    }  # fmt: skip
    keep("type_post", client.post("/types", json=new_type), 201)
    keep("items_list", client.get("/items"), 200)
    keep("item_get", client.get("/items/codename/home"), 200)
    keep("workflows_list", client.get("/workflows"), 200)
    keep("invalid_body", client.post("/folders", json={"folders": [{"name": ""}]}), 400)
    return recorded


@pytest.fixture(scope="session")
def world() -> Iterator[World]:
    with EmulatorServer(rate_limit=False) as server, server.client() as client:
        yield World(_build(client), client)
