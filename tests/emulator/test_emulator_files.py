"""Binary files: streamed upload, metadata (size, type, image dimensions), download at the asset URL."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from kontent_resources.emulator import EmulatorServer
from tests.images import jpeg_bytes

from .emulator_helpers import (
    JPEG_SIZE,
    MINI_PDF,
    assert_error,
    create_asset,
    file_ref,
    png_bytes,
    upload,
)


def test_upload_returns_internal_file_reference(client: httpx.Client) -> None:
    response = client.post("/files/photo.jpg", content=jpeg_bytes(), headers={"Content-Type": "image/jpeg"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "type"}
    assert body["type"] == "internal"


def test_jpeg_dimensions_size_and_type(client: httpx.Client) -> None:
    asset = create_asset(client, "brno")
    assert (asset["image_width"], asset["image_height"]) == JPEG_SIZE
    assert asset["size"] == len(jpeg_bytes())
    assert asset["type"] == "image/jpeg"
    assert asset["file_name"] == "brno.jpg"


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [("doc.pdf", MINI_PDF, "application/pdf"), ("notes.txt", b"hello world\n", "text/plain; charset=utf-8")],
)
def test_non_images_have_null_dimensions(
    client: httpx.Client, name: str, data: bytes, content_type: str
) -> None:
    file_id = upload(client, name, data, content_type)
    asset = client.post("/assets", json={"file_reference": file_ref(file_id)}).json()
    assert asset["image_width"] is None
    assert asset["image_height"] is None
    assert asset["size"] == len(data)
    assert asset["type"] == content_type.split(";")[0]


def test_file_is_served_back_at_asset_url_without_auth(client: httpx.Client) -> None:
    data = png_bytes(40, 30)
    file_id = upload(client, "tiny image.png", data, "image/png")
    asset = client.post("/assets", json={"file_reference": file_ref(file_id)}).json()
    assert asset["url"].endswith(f"/{file_id}/tiny%20image.png")
    served = httpx.get(asset["url"])
    assert served.status_code == 200
    assert served.content == data
    assert served.headers["content-type"] == "image/png"


def test_url_encoded_file_name_is_decoded(client: httpx.Client) -> None:
    file_id = upload(client, "my%20file%232.png", png_bytes(2, 2), "image/png")
    asset = client.post("/assets", json={"file_reference": file_ref(file_id)}).json()
    assert asset["file_name"] == "my file#2.png"
    assert httpx.get(asset["url"]).status_code == 200


def test_missing_content_type_is_400(emu: EmulatorServer) -> None:
    request = httpx.Request(
        "POST", f"{emu.project_url}/files/x.bin", content=b"abc", headers=emu.auth_headers
    )
    assert "content-type" not in request.headers
    with httpx.Client() as http:
        response = http.send(request)
    body = assert_error(response, 400, 205)
    assert "Content-Type" in body["message"]


def test_a_file_backs_one_asset_only(client: httpx.Client) -> None:
    file_id = upload(client, "once.jpg", jpeg_bytes())
    assert client.post("/assets", json={"file_reference": file_ref(file_id)}).status_code == 201
    second = client.put("/assets/external-id/other", json={"file_reference": file_ref(file_id)})
    body = assert_error(second, 400)
    assert "single asset" in body["message"]


def test_unknown_file_reference_is_400(client: httpx.Client) -> None:
    response = client.post(
        "/assets", json={"file_reference": file_ref("5b9c1a52-0000-4000-8000-000000000000")}
    )
    assert_error(response, 400, 5)


def test_deleted_asset_url_is_gone(client: httpx.Client) -> None:
    asset = create_asset(client, "gone")
    assert client.delete(f"/assets/{asset['id']}").status_code == 204
    assert httpx.get(asset["url"]).status_code == 404


def test_interrupted_upload_leaves_nothing_behind(emu: EmulatorServer, client: httpx.Client) -> None:
    """A client that disconnects mid-body (fewer bytes than Content-Length) must not break the server."""
    path = f"/v2/projects/{emu.environment_id}/files/partial.bin"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {emu.api_key}\r\n"
        "Content-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n"
    )
    with socket.create_connection((emu.host, emu.port)) as raw:
        raw.sendall(head.encode() + b"x" * 5000)
        raw.shutdown(socket.SHUT_WR)
        raw.recv(1024)
    assert emu.data_dir is not None  # a started server has one
    incoming = emu.data_dir / "files" / ".incoming"
    deadline = time.monotonic() + 5
    while any(incoming.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(incoming.iterdir()) == []
    assert upload(client, "after.jpg", jpeg_bytes())
