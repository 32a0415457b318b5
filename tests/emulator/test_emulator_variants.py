"""Language variants: partial upserts, asset references (incl. by external id before the asset exists),
the workflow (published/archived variants are locked until a new version), and workflow actions."""

from __future__ import annotations

import httpx

from .emulator_helpers import (
    ES_ES_ID,
    PUBLISHED_STEP,
    TIMESTAMP_RE,
    assert_error,
    create_asset,
    element_value,
    hero_image_value,
)

HOME_EN = "/items/codename/home/variants/codename/en-US"
ABOUT_EN = "/items/codename/about_us/variants/codename/en-US"


def hero(value: list[dict[str, object]]) -> dict[str, object]:
    return {"elements": [{"element": {"codename": "hero_image"}, "value": value}]}


def test_get_seeded_variant(client: httpx.Client) -> None:
    variant = client.get(HOME_EN).json()
    assert variant["item"]["id"] == client.get("/items/codename/home").json()["id"]
    assert variant["language"] == {"id": "00000000-0000-0000-0000-000000000000"}
    assert TIMESTAMP_RE.match(variant["last_modified"])
    assert all(set(e["element"]) == {"id"} for e in variant["elements"])
    assert client.get("/items/codename/home/variants/" + ES_ES_ID).status_code == 200


def test_upsert_replaces_only_given_elements(client: httpx.Client) -> None:
    body_before = element_value(client, "body", "home")
    response = client.put(
        HOME_EN, json={"elements": [{"element": {"codename": "title"}, "value": "New title"}]}
    )
    assert response.status_code == 200
    assert element_value(client, "title", "home") == "New title"
    assert element_value(client, "body", "home") == body_before
    assert all(set(e["element"]) == {"id"} for e in response.json()["elements"])


def test_upsert_by_element_id_and_new_variant_is_created(client: httpx.Client) -> None:
    type_ = client.get("/types/codename/article").json()
    title_id = next(e["id"] for e in type_["elements"] if e["codename"] == "title")
    response = client.put(
        "/items/codename/contact/variants/codename/es-ES",
        json={"elements": [{"element": {"id": title_id}, "value": "Contacto"}]},
    )
    assert response.status_code == 201
    assert element_value(client, "title", "contact", "es-ES") == "Contacto"
    assert len(client.get("/items/codename/contact/variants").json()) == 2


def test_asset_element_by_id_and_renditions(client: httpx.Client) -> None:
    asset = create_asset(client, "hero")
    rendition = client.post(
        "/assets/external-id/hero/renditions",
        json={"transformation": {"mode": "rect", "fit": "clip", "x": 0, "y": 0, "width": 100, "height": 100,
                                 "custom_width": 50, "custom_height": 50}},
    ).json()  # fmt: skip
    value = [{"id": asset["id"], "renditions": [{"id": rendition["rendition_id"]}]}]
    assert client.put(HOME_EN, json=hero(value)).status_code == 200
    assert hero_image_value(client) == value


def test_asset_by_external_id_before_it_exists(client: httpx.Client) -> None:
    response = client.put(HOME_EN, json=hero([{"external_id": "later"}]))
    assert response.status_code == 200
    placeholder = hero_image_value(client)[0]["id"]
    asset = create_asset(client, "later")
    assert asset["id"] == placeholder  # the reference resolves once the asset exists
    assert "in use" in client.delete(f"/assets/{asset['id']}").json()["message"]


def test_reposting_a_get_body_is_accepted(client: httpx.Client) -> None:
    client.put(HOME_EN, json=hero([{"external_id": "not-yet"}]))
    variant = client.get(HOME_EN).json()
    assert client.put(HOME_EN, json=variant).status_code == 200


def test_invalid_element_references(client: httpx.Client) -> None:
    missing = hero([{"id": "9f0a4e35-0000-4000-8000-000000000000"}])
    assert_error(client.put(HOME_EN, json=missing), 400, 5)
    unknown_element = {"elements": [{"element": {"codename": "no_such"}, "value": "x"}]}
    body = assert_error(client.put(HOME_EN, json=unknown_element), 400, 5)
    assert body["validation_errors"][0]["path"] == "elements[0].element"
    assert_error(
        client.put(HOME_EN, json={"elements": [{"element": {"codename": "title"}, "value": 42}]}), 400, 5
    )
    assert_error(client.put(HOME_EN, json={"elements": "nope"}), 400, 5)


def test_missing_item_language_or_variant(client: httpx.Client) -> None:
    assert_error(client.get("/items/codename/nope/variants/codename/en-US"), 404, 100)
    assert_error(client.get("/items/codename/home/variants/codename/fr-FR"), 404, 111)
    assert_error(client.get("/items/codename/about_us/variants/codename/es-ES"), 404, 103)


def test_published_variant_rejects_upsert_until_new_version(client: httpx.Client) -> None:
    assert client.get(ABOUT_EN).json()["workflow"]["step_identifier"]["id"] == PUBLISHED_STEP
    body = assert_error(client.put(ABOUT_EN, json=hero([])), 400)
    assert "Published" in body["message"]
    assert "new version" in body["message"]
    assert client.put(ABOUT_EN + "/new-version").status_code == 204
    draft = client.get(ABOUT_EN).json()
    assert draft["workflow"]["step_identifier"]["id"] != PUBLISHED_STEP
    assert (
        client.put(
            ABOUT_EN, json={"elements": [{"element": {"codename": "title"}, "value": "v2"}]}
        ).status_code
        == 200
    )
    assert client.get(ABOUT_EN + "/published").json()["elements"][0]["value"] == "About us"
    assert client.put(ABOUT_EN + "/publish").status_code == 204
    assert client.get(ABOUT_EN).json()["workflow_step"]["id"] == PUBLISHED_STEP
    assert client.get(ABOUT_EN + "/published").json()["elements"][0]["value"] == "v2"


def test_workflow_action_errors(client: httpx.Client) -> None:
    assert_error(client.put(HOME_EN + "/new-version"), 400, 214)
    assert_error(client.put(HOME_EN + "/unpublish"), 400, 213)
    to_published = {
        "workflow_identifier": {"codename": "default"},
        "step_identifier": {"codename": "published"},
    }
    assert_error(client.put(HOME_EN + "/change-workflow", json=to_published), 400, 215)
    assert_error(client.put(ABOUT_EN + "/publish"), 400)
    assert_error(client.put("/items/codename/about_us/variants/codename/es-ES/publish"), 404, 103)


def test_change_workflow_and_archived_is_locked(client: httpx.Client) -> None:
    to_review = {"workflow_identifier": {"codename": "default"}, "step_identifier": {"codename": "review"}}
    assert client.put(HOME_EN + "/change-workflow", json=to_review).status_code == 204
    assert client.put(HOME_EN, json=hero([])).status_code == 200
    to_archived = {
        "workflow_identifier": {"codename": "default"},
        "step_identifier": {"codename": "archived"},
    }
    assert client.put(HOME_EN + "/change-workflow", json=to_archived).status_code == 204
    body = assert_error(client.put(HOME_EN, json=hero([])), 400)
    assert "Archived" in body["message"]


def test_unpublish_moves_back_to_first_step(client: httpx.Client) -> None:
    assert client.put(ABOUT_EN + "/unpublish").status_code == 204
    variant = client.get(ABOUT_EN).json()
    assert variant["workflow_step"]["id"] != PUBLISHED_STEP
    assert_error(client.get(ABOUT_EN + "/published"), 404)
    assert client.put(ABOUT_EN, json=hero([])).status_code == 200


def test_scheduled_publish(client: httpx.Client) -> None:
    body = {"scheduled_to": "2999-01-01T00:00:00Z", "display_timezone": "Europe/Prague"}
    assert client.put(HOME_EN + "/publish", json=body).status_code == 204
    variant = client.get(HOME_EN).json()
    assert variant["schedule"]["publish_time"] == "2999-01-01T00:00:00Z"
    assert_error(client.put(HOME_EN, json=hero([])), 400)
    assert_error(client.put(HOME_EN + "/publish", json={"scheduled_to": "2000-01-01T00:00:00Z"}), 400, 5)


def test_list_variants_of_item(client: httpx.Client) -> None:
    variants = client.get("/items/codename/home/variants").json()
    assert sorted(v["language"]["id"] for v in variants) == sorted(
        ["00000000-0000-0000-0000-000000000000", ES_ES_ID]
    )
    assert_error(client.get("/items/codename/nope/variants"), 404, 100)
