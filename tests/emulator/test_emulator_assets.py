"""Assets: create, upsert, file swap, codenames, validation, last_modified, pagination, delete."""

from __future__ import annotations

import time

import httpx
import pytest

from kontent_resources.emulator import EmulatorServer
from tests.images import jpeg_bytes

from .emulator_helpers import (
    ES_ES_ID,
    JPEG_SIZE,
    TIMESTAMP_RE,
    ZERO_ID,
    assert_error,
    create_asset,
    file_ref,
    png_bytes,
    upload,
)


def test_post_creates_asset_with_all_fields(client: httpx.Client) -> None:
    file_id = upload(client, "cafe.jpg", jpeg_bytes())
    body = {
        "file_reference": file_ref(file_id),
        "title": "Brno cafe",
        "external_id": "cafe",
        "descriptions": [{"language": {"codename": "es-ES"}, "description": "Café en Brno"}],
        "collection": {"reference": {"codename": "default"}},
    }
    response = client.post("/assets", json=body)
    assert response.status_code == 201
    asset = response.json()
    assert asset["title"] == "Brno cafe"
    assert asset["external_id"] == "cafe"
    assert asset["file_reference"] == file_ref(file_id)
    assert asset["descriptions"] == [{"language": {"id": ES_ES_ID}, "description": "Café en Brno"}]
    assert asset["collection"] == {"reference": {"id": ZERO_ID}}
    assert TIMESTAMP_RE.match(asset["last_modified"])
    assert client.get(f"/assets/{asset['id']}").json() == asset
    assert client.get("/assets/external-id/cafe").json() == asset
    assert client.get(f"/assets/codename/{asset['codename']}").json() == asset


def test_put_by_external_id_creates_then_updates(client: httpx.Client) -> None:
    created = create_asset(client, "hero", title="First")
    update = client.put("/assets/external-id/hero", json={"title": "Second"})
    assert update.status_code == 200
    updated = update.json()
    assert updated["id"] == created["id"]
    assert updated["title"] == "Second"
    assert updated["file_reference"] == created["file_reference"]  # untouched when not sent
    assert updated["last_modified"] > created["last_modified"]


def test_put_by_codename_updates_but_never_creates(client: httpx.Client) -> None:
    """ "When adding a new asset, use an external ID as the asset's identifier." (Upsert an asset)"""
    file_id = upload(client, "x.jpg", jpeg_bytes())
    response = client.put("/assets/codename/my_asset", json={"file_reference": file_ref(file_id)})
    assert_error(response, 404, 105)
    assert client.get("/assets").json()["assets"] == []
    created = client.put(
        "/assets/external-id/mine", json={"file_reference": file_ref(file_id), "codename": "my_asset"}
    )
    assert created.status_code == 201
    assert client.put("/assets/codename/my_asset", json={"title": "T"}).status_code == 200


def test_put_unknown_internal_id_is_404(client: httpx.Client) -> None:
    response = client.put("/assets/7d2f3a4b-0000-4000-8000-000000000001", json={"title": "x"})
    assert_error(response, 404, 105)


def test_file_reference_required_on_create(client: httpx.Client) -> None:
    body = assert_error(client.put("/assets/external-id/nofile", json={"title": "x"}), 400, 5)
    assert body["validation_errors"][0]["path"] == "file_reference"


def test_file_swap_keeps_id_and_updates_file_fields(client: httpx.Client) -> None:
    asset = create_asset(client, "swap")
    new_file = upload(client, "replacement.png", png_bytes(320, 200), "image/png")
    swapped = client.put("/assets/external-id/swap", json={"file_reference": file_ref(new_file)}).json()
    assert swapped["id"] == asset["id"]
    assert swapped["file_reference"]["id"] == new_file
    assert (swapped["image_width"], swapped["image_height"]) == (320, 200)
    assert swapped["type"] == "image/png"
    assert swapped["file_name"] == "replacement.png"
    assert swapped["size"] != asset["size"]
    assert swapped["url"] != asset["url"]
    assert httpx.get(swapped["url"]).content == png_bytes(320, 200)
    # the old file is no longer referenced, so another asset may use it
    reuse = client.post("/assets", json={"file_reference": asset["file_reference"]})
    assert reuse.status_code == 201
    assert (reuse.json()["image_width"], reuse.json()["image_height"]) == JPEG_SIZE


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Brno Café #2!", "brno_cafe_2"), ("  Hello   World ", "hello_world"), ("2024 report", "n2024_report")],
)
def test_codename_generated_from_title(client: httpx.Client, title: str, expected: str) -> None:
    assert create_asset(client, "cn", title=title)["codename"] == expected


def test_codename_falls_back_to_file_name_and_is_unique(client: httpx.Client) -> None:
    first = client.post(
        "/assets", json={"file_reference": file_ref(upload(client, "Photo.JPG", jpeg_bytes()))}
    )
    second = client.post(
        "/assets", json={"file_reference": file_ref(upload(client, "Photo.JPG", jpeg_bytes()))}
    )
    third = client.post(
        "/assets", json={"file_reference": file_ref(upload(client, "Photo.JPG", jpeg_bytes()))}
    )
    assert [r.json()["codename"] for r in (first, second, third)] == [
        "photo_jpg",
        "photo_jpg_2",
        "photo_jpg_3",
    ]


def test_invalid_or_taken_codename_is_400(client: httpx.Client) -> None:
    create_asset(client, "a", codename="taken")
    assert_error(client.put("/assets/external-id/a", json={"codename": "Not Valid"}), 400, 5)
    file_id = upload(client, "b.jpg", jpeg_bytes())
    assert_error(client.post("/assets", json={"file_reference": file_ref(file_id), "codename": "taken"}), 400)


def test_external_id_is_unique_and_immutable(client: httpx.Client) -> None:
    create_asset(client, "unique")
    file_id = upload(client, "c.jpg", jpeg_bytes())
    assert_error(
        client.post("/assets", json={"file_reference": file_ref(file_id), "external_id": "unique"}), 400
    )
    assert_error(client.put("/assets/external-id/unique", json={"external_id": "changed"}), 400)


def test_title_longer_than_200_is_400(client: httpx.Client) -> None:
    create_asset(client, "long")
    body = assert_error(client.put("/assets/external-id/long", json={"title": "x" * 201}), 400, 5)
    assert body["validation_errors"][0]["path"] == "title"
    assert client.put("/assets/external-id/long", json={"title": "x" * 200}).status_code == 200


def test_unknown_description_language_is_400(client: httpx.Client) -> None:
    create_asset(client, "desc")
    body = {"descriptions": [{"language": {"codename": "fr-FR"}, "description": "Bonjour"}]}
    error = assert_error(client.put("/assets/external-id/desc", json=body), 400, 5)
    assert error["validation_errors"][0]["path"] == "descriptions[0].language"


def test_folder_reference_and_move_to_root(client: httpx.Client) -> None:
    client.post("/folders", json={"folders": [{"name": "Photos", "external_id": "photos"}]})
    folder_id = client.get("/folders").json()["folders"][0]["id"]
    asset = create_asset(client, "inf", folder={"external_id": "photos"})
    assert asset["folder"] == {"id": folder_id}
    moved = client.put("/assets/external-id/inf", json={"folder": {"id": ZERO_ID}}).json()
    assert "folder" not in moved
    assert_error(client.put("/assets/external-id/inf", json={"folder": {"codename": "nope"}}), 400, 5)


def test_last_modified_changes_on_every_update(client: httpx.Client) -> None:
    stamps = [create_asset(client, "lm")["last_modified"]]
    for title in ("a", "b"):
        time.sleep(0.002)
        stamps.append(client.put("/assets/external-id/lm", json={"title": title}).json()["last_modified"])
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 3
    assert all(TIMESTAMP_RE.match(s) for s in stamps)


def test_list_is_paginated_with_x_continuation(emu: EmulatorServer, client: httpx.Client) -> None:
    emu.set_page_size(2)
    ids = {create_asset(client, f"p{i}", data=png_bytes(4, 4))["id"] for i in range(5)}
    seen: list[str] = []
    token: str | None = None
    pages = 0
    while True:
        headers = {"x-continuation": token} if token else {}
        page = client.get("/assets", headers=headers).json()
        pages += 1
        seen += [a["id"] for a in page["assets"]]
        token = page["pagination"]["continuation_token"]
        if token is None:
            assert page["pagination"]["next_page"] is None
            break
        assert "continuationToken=" in page["pagination"]["next_page"]
    assert pages == 3
    assert sorted(seen) == sorted(ids)


def test_invalid_continuation_token_is_400(client: httpx.Client) -> None:
    assert_error(client.get("/assets", headers={"x-continuation": "garbage!"}), 400, 1007)


def test_delete_unused_asset(client: httpx.Client) -> None:
    asset = create_asset(client, "del")
    assert client.delete("/assets/external-id/del").status_code == 204
    assert_error(client.get(f"/assets/{asset['id']}"), 404, 105)
    assert_error(client.delete(f"/assets/{asset['id']}"), 404, 105)


def test_delete_asset_used_in_variant_fails(client: httpx.Client) -> None:
    asset = create_asset(client, "used")
    elements = [{"element": {"codename": "hero_image"}, "value": [{"id": asset["id"]}]}]
    assert (
        client.put("/items/codename/home/variants/codename/en-US", json={"elements": elements}).status_code
        == 200
    )
    body = assert_error(client.delete(f"/assets/{asset['id']}"), 400)
    assert "in use" in body["message"]
    assert "home" in body["message"]
    cleared = [{"element": {"codename": "hero_image"}, "value": []}]
    client.put("/items/codename/home/variants/codename/en-US", json={"elements": cleared})
    assert client.delete(f"/assets/{asset['id']}").status_code == 204
