"""Environment-level endpoints: languages, collections, content types, workflows, content items."""

from __future__ import annotations

import httpx

from kontent_resources.emulator import EmulatorServer

from .emulator_helpers import ES_ES_ID, ZERO_ID, assert_error


def test_languages(client: httpx.Client) -> None:
    languages = client.get("/languages").json()["languages"]
    assert [(lang["codename"], lang["is_default"]) for lang in languages] == [
        ("en-US", True),
        ("es-ES", False),
    ]
    assert languages[0]["id"] == ZERO_ID
    assert client.get("/languages/codename/es-ES").json()["id"] == ES_ES_ID
    assert client.get(f"/languages/{ES_ES_ID}").json()["codename"] == "es-ES"
    assert_error(client.get("/languages/codename/xx"), 404, 111)


def test_languages_paginate(emu: EmulatorServer, client: httpx.Client) -> None:
    emu.set_page_size(1)
    first = client.get("/languages").json()
    second = client.get(
        "/languages", headers={"x-continuation": first["pagination"]["continuation_token"]}
    ).json()
    assert [first["languages"][0]["codename"], second["languages"][0]["codename"]] == ["en-US", "es-ES"]
    assert second["pagination"]["continuation_token"] is None


def test_collections(client: httpx.Client) -> None:
    body = client.get("/collections").json()
    assert body["collections"] == [{"id": ZERO_ID, "name": "Default", "codename": "default"}]
    assert isinstance(body["last_modified"], str)


def test_content_type_with_asset_element(client: httpx.Client) -> None:
    article = client.get("/types/codename/article").json()
    kinds = {e["codename"]: e["type"] for e in article["elements"]}
    assert kinds == {"title": "text", "hero_image": "asset", "body": "rich_text"}
    assert client.get(f"/types/{article['id']}").json() == article
    assert client.get("/types").json()["types"] == [article]
    assert_error(client.get("/types/codename/nope"), 404)


def test_workflows(client: httpx.Client) -> None:
    workflows = client.get("/workflows").json()
    assert isinstance(workflows, list)
    assert workflows[0]["id"] == ZERO_ID
    assert workflows[0]["published_step"]["id"] == "c199950d-99f0-4983-b711-6c4c91624b22"


def test_items(client: httpx.Client) -> None:
    items = client.get("/items").json()["items"]
    assert [i["codename"] for i in items] == ["home", "about_us", "contact"]
    home = client.get("/items/codename/home").json()
    assert client.get(f"/items/{home['id']}").json() == home
    assert_error(client.get("/items/codename/nope"), 404, 100)


def test_item_upsert_by_external_id_and_delete(client: httpx.Client) -> None:
    body = {"name": "Cafe Brno", "type": {"codename": "article"}}
    created = client.put("/items/external-id/ext-cafe-brno", json=body)
    assert created.status_code == 201
    item = created.json()
    assert (item["codename"], item["external_id"]) == ("cafe_brno", "ext-cafe-brno")
    assert item["collection"] == {"id": ZERO_ID}
    renamed = client.put("/items/external-id/ext-cafe-brno", json={"name": "Café Brno"})
    assert renamed.status_code == 200
    assert renamed.json()["codename"] == "cafe_brno"
    variant = {
        "elements": [{"element": {"codename": "hero_image"}, "value": [{"external_id": "brno-cafe-image"}]}]
    }
    assert (
        client.put("/items/external-id/ext-cafe-brno/variants/codename/en-US", json=variant).status_code
        == 201
    )
    assert client.delete("/items/external-id/ext-cafe-brno").status_code == 204
    assert_error(client.get("/items/external-id/ext-cafe-brno"), 404, 100)
    assert client.post("/items", json={"name": "Fresh", "type": {"codename": "article"}}).status_code == 201
