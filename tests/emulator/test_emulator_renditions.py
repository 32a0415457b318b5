"""Renditions: add, list, retrieve, modify, validation of the transformation, no DELETE."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .emulator_helpers import MINI_PDF, assert_error, create_asset, file_ref, upload


def rect(**overrides: Any) -> dict[str, Any]:
    base = {"mode": "rect", "fit": "clip", "x": 0, "y": 30, "width": 500, "height": 100,
            "custom_width": 250, "custom_height": 50}  # fmt: skip
    return base | overrides


def test_add_list_get_modify(client: httpx.Client) -> None:
    asset = create_asset(client, "photo")
    created = client.post(
        "/assets/external-id/photo/renditions", json={"transformation": rect(), "external_id": "r1"}
    )
    assert created.status_code == 201, created.text
    rendition = created.json()
    assert rendition["asset_id"] == asset["id"]
    assert rendition["external_id"] == "r1"
    assert rendition["transformation"] == rect()
    listed = client.get(f"/assets/{asset['id']}/renditions").json()
    assert listed["asset_renditions"] == [rendition]
    assert listed["pagination"] == {"continuation_token": None, "next_page": None}
    assert client.get(f"/assets/{asset['id']}/renditions/{rendition['rendition_id']}").json() == rendition
    assert client.get("/assets/external-id/photo/renditions/external-id/r1").json() == rendition
    modified = client.put(
        "/assets/external-id/photo/renditions/external-id/r1", json={"transformation": rect(x=10)}
    )
    assert modified.status_code == 200
    assert modified.json()["transformation"]["x"] == 10
    assert modified.json()["rendition_id"] == rendition["rendition_id"]


def test_there_is_no_delete(client: httpx.Client) -> None:
    create_asset(client, "photo")
    rendition = client.post("/assets/external-id/photo/renditions", json={"transformation": rect()}).json()
    assert_error(client.delete(f"/assets/external-id/photo/renditions/{rendition['rendition_id']}"), 405)


@pytest.mark.parametrize(
    "transformation",
    [
        rect(x=400, width=500),  # 900 > 849
        rect(y=500, height=100),  # 600 > 565
        rect(custom_width=600),  # wider than the region: no upscaling
        rect(custom_height=101),
        rect(mode="scale"),
        rect(fit="crop"),
    ],
)
def test_invalid_transformations(client: httpx.Client, transformation: dict[str, Any]) -> None:
    create_asset(client, "photo")
    response = client.post("/assets/external-id/photo/renditions", json={"transformation": transformation})
    body = assert_error(response, 400, 0)
    assert body["validation_errors"]


def test_whole_image_is_allowed(client: httpx.Client) -> None:
    create_asset(client, "photo")
    whole = rect(x=0, y=0, width=849, height=565, custom_width=849, custom_height=565)
    assert (
        client.post("/assets/external-id/photo/renditions", json={"transformation": whole}).status_code == 201
    )


def test_non_image_asset_cannot_have_renditions(client: httpx.Client) -> None:
    file_id = upload(client, "doc.pdf", MINI_PDF, "application/pdf")
    asset = client.post("/assets", json={"file_reference": file_ref(file_id)}).json()
    body = assert_error(
        client.post(f"/assets/{asset['id']}/renditions", json={"transformation": rect()}), 400
    )
    assert "not an image" in body["validation_errors"][0]["message"]


def test_missing_fields_and_unknown_ids(client: httpx.Client) -> None:
    create_asset(client, "photo")
    assert_error(
        client.post("/assets/external-id/photo/renditions", json={"transformation": {"mode": "rect"}}), 400, 5
    )
    assert_error(client.get("/assets/external-id/photo/renditions/external-id/nope"), 404, 118)
    assert_error(client.get("/assets/external-id/nope/renditions"), 404, 105)


def test_external_id_unique_per_asset(client: httpx.Client) -> None:
    create_asset(client, "photo")
    body = {"transformation": rect(), "external_id": "same"}
    assert client.post("/assets/external-id/photo/renditions", json=body).status_code == 201
    assert_error(client.post("/assets/external-id/photo/renditions", json=body), 400)
