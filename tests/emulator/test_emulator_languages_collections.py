"""Language and collection writes, as the reference states them (the passages are quoted in
``kontent_resources/emulator/languages/`` and ``collections/``)."""

from __future__ import annotations

from typing import Any

import httpx

from .emulator_helpers import ZERO_ID, assert_error, create_asset

GERMAN = {"name": "German (Germany)", "codename": "de-DE", "external_id": "standard-german"}


def codenames(client: httpx.Client) -> list[str]:
    return [c["codename"] for c in client.get("/collections").json()["collections"]]


def patch(client: httpx.Client, *ops: dict[str, Any]) -> httpx.Response:
    return client.patch("/collections", json=list(ops))


def test_add_a_language_and_read_it_back(client: httpx.Client) -> None:
    created = client.post("/languages", json={**GERMAN, "fallback_language": {"codename": "es-ES"}})
    assert created.status_code == 201, created.text
    language = created.json()
    assert {k: language[k] for k in ("name", "codename", "external_id", "is_active", "is_default")} == {
        **GERMAN, "is_active": True, "is_default": False,
    }  # fmt: skip
    spanish = client.get("/languages/codename/es-ES").json()
    assert language["fallback_language"] == {"id": spanish["id"]}
    assert client.get("/languages/external-id/standard-german").json() == language
    listed = [entry["codename"] for entry in client.get("/languages").json()["languages"]]
    assert listed == ["en-US", "es-ES", "de-DE"]


def test_adding_a_language_refuses_what_the_reference_refuses(client: httpx.Client) -> None:
    assert_error(client.post("/languages", json={"name": "German"}), 400, 5)  # codename is required
    assert_error(client.post("/languages", json={"codename": "de-DE"}), 400, 5)  # name is required
    assert client.post("/languages", json=GERMAN).status_code == 201
    assert_error(client.post("/languages", json={**GERMAN, "external_id": "other"}), 400)  # already exists
    missing = {"name": "Czech", "codename": "cs-CZ", "fallback_language": {"codename": "xx"}}
    error = assert_error(client.post("/languages", json=missing), 400, 0)
    assert error["message"] == "Fallback language not found or inactive"
    inactive = {"name": "Polish", "codename": "pl-PL", "is_active": False}
    assert client.post("/languages", json=inactive).status_code == 201
    onto_inactive = {"name": "Czech", "codename": "cs-CZ", "fallback_language": {"codename": "pl-PL"}}
    assert_error(client.post("/languages", json=onto_inactive), 400, 0)
    assert client.get("/languages/codename/cs-CZ").status_code == 404, "nothing half-created"


def test_modify_a_language(client: httpx.Client) -> None:
    german = client.post("/languages", json=GERMAN).json()
    ops = [
        {"op": "replace", "property_name": "name", "value": "Deutsch"},
        {"op": "replace", "property_name": "fallback_language", "value": {"codename": "es-ES"}},
        {"op": "replace", "property_name": "is_active", "value": False},
    ]
    modified = client.patch(f"/languages/{german['id']}", json=ops)
    assert modified.status_code == 200, modified.text
    body = modified.json()
    assert (body["name"], body["codename"], body["is_active"]) == ("Deutsch", "de-DE", False)
    assert body["fallback_language"] == {"id": client.get("/languages/codename/es-ES").json()["id"]}


def test_modifying_a_language_refuses_the_whole_patch_on_one_bad_operation(client: httpx.Client) -> None:
    ops = [
        {"op": "replace", "property_name": "name", "value": "Español"},
        {"op": "replace", "property_name": "fallback_language", "value": {"codename": "xx"}},
    ]
    error = assert_error(client.patch("/languages/codename/es-ES", json=ops), 400, 5)
    assert error["validation_errors"][0]["message"] == (
        "Invalid operation with index '1': The specified fallback language is inactive or does not exist."
    )
    assert client.get("/languages/codename/es-ES").json()["name"] == "Spanish (Spain)", "nothing applied"
    rename = [{"op": "replace", "property_name": "name", "value": "x"}]
    assert_error(client.patch("/languages/codename/xx", json=rename), 404, 111)
    deactivate = [{"op": "replace", "property_name": "is_active", "value": False}]
    assert_error(client.patch("/languages/codename/en-US", json=deactivate), 400, 5)  # assumed


def test_modify_collections_add_move_replace_remove(client: httpx.Client) -> None:
    added = patch(
        client,
        {"op": "addInto", "value": {"name": "Second collection", "external_id": "second"}},
        {
            "op": "addInto",
            "value": {"name": "First", "codename": "first"},
            "before": {"codename": "second_collection"},
        },
        {"op": "addInto", "value": {"name": "Extra"}, "after": {"codename": "default"}},
    )
    assert added.status_code == 200, added.text
    assert [c["codename"] for c in added.json()["collections"]] == [
        "default",
        "extra",
        "first",
        "second_collection",
    ]
    assert added.json()["collections"][3]["external_id"] == "second"
    assert "external_id" not in added.json()["collections"][1], "only present if set when added"

    moved = patch(
        client,
        {"op": "move", "reference": {"codename": "second_collection"}, "before": {"codename": "extra"}},
        {
            "op": "replace",
            "reference": {"external_id": "second"},
            "property_name": "name",
            "value": "A new name",
        },
        {"op": "remove", "reference": {"codename": "extra"}},
    )
    assert moved.status_code == 200, moved.text
    assert codenames(client) == ["default", "second_collection", "first"]
    assert client.get("/collections").json()["collections"][1]["name"] == "A new name"


def test_modify_collections_refuses_the_whole_patch_on_one_bad_operation(client: httpx.Client) -> None:
    error = assert_error(
        patch(
            client,
            {"op": "addInto", "value": {"name": "Kept?"}},
            {"op": "remove", "reference": {"codename": "nope"}},
        ),
        400,
        5,
    )
    assert error["validation_errors"][0]["message"] == (
        "Invalid operation with index '1': The referenced object was not found."
    )
    assert codenames(client) == ["default"], "nothing applied"
    both = {
        "op": "addInto",
        "value": {"name": "X"},
        "before": {"codename": "default"},
        "after": {"codename": "default"},
    }
    assert_error(patch(client, both), 400, 5)  # "The before and after properties are mutually exclusive."
    assert_error(patch(client, {"op": "addInto", "value": {"name": "n" * 201}}), 400, 5)  # name ≤ 200
    assert_error(patch(client, {"op": "addInto", "value": {"name": ""}}), 400, 5)


def test_a_collection_in_use_or_the_default_one_is_not_removed(client: httpx.Client) -> None:
    """Assumed (the reference is silent): removing would leave content without its collection."""
    patch(client, {"op": "addInto", "value": {"name": "Marketing", "codename": "marketing"}})
    create_asset(client, "in-marketing", collection={"reference": {"codename": "marketing"}})
    error = assert_error(patch(client, {"op": "remove", "reference": {"codename": "marketing"}}), 400, 5)
    assert "is in use by assets" in error["validation_errors"][0]["message"]
    assert_error(patch(client, {"op": "remove", "reference": {"id": ZERO_ID}}), 400, 5)
    assert codenames(client) == ["default", "marketing"]
