"""Asset folders: POST only when empty, ordered PATCH operations, atomicity, removal rules, limits."""

from __future__ import annotations

from typing import Any

import httpx

from .emulator_helpers import assert_error, create_asset

DOWNLOADS = {"external_id": "downloads"}
TREE = {
    "folders": [
        {
            "name": "Downloads",
            "external_id": "downloads",
            "folders": [{"name": "Archives", "external_id": "archives"}],
        },
        {"name": "Legal documents", "external_id": "legal"},
    ]
}


def names(folders: list[dict[str, Any]]) -> list[Any]:
    return [(f["name"], names(f["folders"])) if f["folders"] else f["name"] for f in folders]


def test_empty_tree(client: httpx.Client) -> None:
    body = client.get("/folders").json()
    assert body["folders"] == []
    assert isinstance(body["last_modified"], str)


def test_post_creates_tree_with_codenames(client: httpx.Client) -> None:
    response = client.post("/folders", json=TREE)
    assert response.status_code == 201
    body = response.json()
    assert names(body["folders"]) == [("Downloads", ["Archives"]), "Legal documents"]
    assert [f["codename"] for f in body["folders"]] == ["downloads", "legal_documents"]
    assert body["folders"][0]["folders"][0]["external_id"] == "archives"
    assert client.get("/folders").json() == body


def test_post_only_when_no_folders_exist(client: httpx.Client) -> None:
    client.post("/folders", json=TREE)
    assert_error(client.post("/folders", json={"folders": [{"name": "Another"}]}), 400)


def test_patch_operations_apply_in_order(client: httpx.Client) -> None:
    client.post("/folders", json=TREE)
    ops = [
        {"op": "addInto", "value": {"name": "Shared", "external_id": "shared"}, "before": DOWNLOADS},
        {"op": "rename", "reference": {"external_id": "shared"}, "value": "Shared assets"},
        {"op": "addInto", "reference": {"codename": "shared"}, "value": {"name": "Logos"}},
        {
            "op": "addInto",
            "reference": DOWNLOADS,
            "value": {"name": "Zips"},
            "after": {"external_id": "archives"},
        },
        {"op": "remove", "reference": {"external_id": "legal"}},
    ]
    response = client.patch("/folders", json=ops)
    assert response.status_code == 200, response.text
    assert names(response.json()["folders"]) == [
        ("Shared assets", ["Logos"]),
        ("Downloads", ["Archives", "Zips"]),
    ]
    shared = response.json()["folders"][0]
    assert shared["codename"] == "shared"  # codename comes from the name at creation, rename keeps it
    assert client.get("/folders").json() == response.json()


def test_patch_is_atomic(client: httpx.Client) -> None:
    before = client.post("/folders", json=TREE).json()
    ops = [
        {"op": "rename", "reference": {"external_id": "legal"}, "value": "Renamed"},
        {"op": "remove", "reference": {"external_id": "does-not-exist"}},
    ]
    body = assert_error(client.patch("/folders", json=ops), 400, 5)
    assert "index '1'" in body["validation_errors"][0]["message"]
    assert client.get("/folders").json() == before


def test_remove_folder_with_assets_fails(client: httpx.Client) -> None:
    client.post("/folders", json=TREE)
    create_asset(client, "archived", folder={"external_id": "archives"})
    for reference in ({"external_id": "archives"}, {"external_id": "downloads"}):
        body = assert_error(client.patch("/folders", json=[{"op": "remove", "reference": reference}]), 400, 5)
        assert "asset" in body["validation_errors"][0]["message"]
    client.put(
        "/assets/external-id/archived", json={"folder": {"id": "00000000-0000-0000-0000-000000000000"}}
    )
    response = client.patch("/folders", json=[{"op": "remove", "reference": {"external_id": "downloads"}}])
    assert response.status_code == 200
    assert names(response.json()["folders"]) == ["Legal documents"]


def test_duplicate_external_id_or_codename_is_rejected(client: httpx.Client) -> None:
    client.post("/folders", json=TREE)
    dup_ext = [{"op": "addInto", "value": {"name": "X", "external_id": "legal"}}]
    assert_error(client.patch("/folders", json=dup_ext), 400, 5)
    dup_codename = [{"op": "addInto", "value": {"name": "Y", "codename": "downloads"}}]
    assert_error(client.patch("/folders", json=dup_codename), 400, 5)
    generated = client.patch("/folders", json=[{"op": "addInto", "value": {"name": "Downloads"}}]).json()
    assert generated["folders"][-1]["codename"] == "downloads_2"


def test_patch_validation(client: httpx.Client) -> None:
    client.post("/folders", json=TREE)
    assert_error(client.patch("/folders", json=[]), 400, 5)
    assert_error(
        client.patch("/folders", json=[{"op": "move", "reference": {"external_id": "legal"}}]), 400, 5
    )
    both = {
        "op": "addInto",
        "value": {"name": "Z"},
        "before": {"external_id": "legal"},
        "after": {"external_id": "legal"},
    }
    assert_error(client.patch("/folders", json=[both]), 400, 5)
    assert_error(
        client.patch("/folders", json=[{"op": "rename", "reference": {"external_id": "legal"}, "value": ""}]),
        400,
    )


def test_at_most_1000_folders(client: httpx.Client) -> None:
    too_many = {"folders": [{"name": f"F{i}"} for i in range(1001)]}
    assert_error(client.post("/folders", json=too_many), 400, 5)
    assert (
        client.post("/folders", json={"folders": [{"name": f"F{i}"} for i in range(1000)]}).status_code == 201
    )
    assert_error(client.patch("/folders", json=[{"op": "addInto", "value": {"name": "one more"}}]), 400, 5)
