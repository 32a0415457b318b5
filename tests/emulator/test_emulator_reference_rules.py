"""Issue 15: rules of the API reference the emulator enforces, each test citing its passage, so the
emulator can never be more lenient than Kontent.ai (and a test here fails if it is)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx

from kontent_resources.api_limits import FOLDER_NAME_MAX_LENGTH, MAX_FILE_SIZE, TITLE_MAX_LENGTH

from .emulator_helpers import create_asset, file_ref, upload


def _zeros(total: int, chunk: int = 1024 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        size = min(chunk, total - sent)
        sent += size
        yield b"\0" * size


def test_a_file_over_100_mb_is_refused(client: httpx.Client) -> None:
    """ "Maximum size limit for binary files is 100 MB." (Upload a binary file)"""
    headers = {"Content-Type": "application/octet-stream", "Content-Length": str(MAX_FILE_SIZE + 1)}
    response = client.post("/files/big.bin", content=_zeros(MAX_FILE_SIZE + 1), headers=headers, timeout=120)
    assert response.status_code == 400, response.text
    assert "100" in response.text or f"{MAX_FILE_SIZE}" in response.text


def test_a_folder_name_over_200_characters_is_refused(client: httpx.Client) -> None:
    """Folder "name: string [ 1 .. 200 ] characters" (Add asset folders)."""
    assert FOLDER_NAME_MAX_LENGTH == 200
    too_long = client.post("/folders", json={"folders": [{"name": "x" * 201, "folders": []}]})
    assert too_long.status_code == 400, too_long.text
    fits = client.post("/folders", json={"folders": [{"name": "x" * 200, "folders": []}]})
    assert fits.status_code == 201, fits.text
    folder_id = fits.json()["folders"][0]["id"]
    rename = {"op": "rename", "reference": {"id": folder_id}, "value": "y" * 201}
    renamed = client.patch("/folders", json=[rename])
    assert renamed.status_code == 400, renamed.text


def test_add_an_asset_takes_a_title_of_at_most_200_characters_empty_or_null(client: httpx.Client) -> None:
    """Add an asset, request body: "title | string or null <= 200 characters" (002, "Add an asset";
    mapi-v2-endpoints.json: nullable, optional): no minimum length."""
    for n, title in enumerate(("", None, "t" * TITLE_MAX_LENGTH)):
        body = {"file_reference": file_ref(upload(client, f"f{n}.txt", b"x", "text/plain")), "title": title}
        added = client.post("/assets", json=body)
        assert added.status_code == 201, (title, added.text)
        assert added.json()["title"] == title
    body = {"file_reference": file_ref(upload(client, "long.txt", b"x", "text/plain"))}
    too_long = client.post("/assets", json=body | {"title": "t" * (TITLE_MAX_LENGTH + 1)})
    assert too_long.status_code == 400, too_long.text


def test_upsert_an_asset_takes_a_title_of_1_to_200_characters_never_null(client: httpx.Client) -> None:
    """Upsert an asset, request body: "title | string [ 1 .. 200 ] characters" (002, "Upsert an asset";
    mapi-v2-endpoints.json: non-nullable, optional)."""
    asset = create_asset(client, "titled")
    for bad in ("", None, "t" * (TITLE_MAX_LENGTH + 1)):
        response = client.put(f"/assets/{asset['id']}", json={"title": bad})
        assert response.status_code == 400, (str(bad)[:5], response.text)
    assert client.put(f"/assets/{asset['id']}", json={"title": "t" * TITLE_MAX_LENGTH}).status_code == 200
    untitled = client.put(f"/assets/{asset['id']}", json={"descriptions": []})
    assert untitled.status_code == 200, untitled.text


def test_an_external_id_in_a_reference_may_not_hold_slash_dot_or_semicolon(client: httpx.Client) -> None:
    """ "The value of the external_id property must not contain the following characters: /, ., ;."
    (the Reference object, mapi-v2-endpoints.json)"""
    asset = create_asset(client, "referenced")
    for bad in ("v1.2", "a/b", "a;b"):
        response = client.put(f"/assets/{asset['id']}", json={"folder": {"external_id": bad}})
        assert response.status_code == 400, (bad, response.text)
