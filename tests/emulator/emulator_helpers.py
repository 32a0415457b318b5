"""Helpers shared by the emulator tests (plain httpx; no dependency on kontent_resources.client)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import httpx

from tests.images import PHOTO_SIZE, jpeg_bytes

REPO_ROOT = Path(__file__).resolve().parents[2]
JPEG_SIZE = PHOTO_SIZE
ZERO_ID = "00000000-0000-0000-0000-000000000000"
ES_ES_ID = "d1f95fde-af02-b3b5-bd9e-f232311ccab8"
PUBLISHED_STEP = "c199950d-99f0-4983-b711-6c4c91624b22"
TIMESTAMP_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$")
MINI_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(width: int, height: int) -> bytes:
    """A real PNG of the given size (Pillow), for swaps and rendition bounds."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 100, 50)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(client: httpx.Client, name: str, data: bytes, content_type: str = "image/jpeg") -> str:
    response = client.post(f"/files/{name}", content=data, headers={"Content-Type": content_type})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["type"] == "internal"
    return str(body["id"])


def file_ref(file_id: str) -> dict[str, str]:
    return {"id": file_id, "type": "internal"}


def create_asset(
    client: httpx.Client, external_id: str, data: bytes | None = None, **fields: Any
) -> dict[str, Any]:
    """Upload ``data`` (a photo-like JPEG by default) and upsert an asset by external id."""
    file_id = upload(client, f"{external_id}.jpg", data if data is not None else jpeg_bytes())
    response = client.put(
        f"/assets/external-id/{external_id}", json={"file_reference": file_ref(file_id), **fields}
    )
    assert response.status_code == 201, response.text
    asset: dict[str, Any] = response.json()
    return asset


def assert_error(response: httpx.Response, status: int, error_code: int | None = None) -> dict[str, Any]:
    """The API error object: ``{request_id, error_code, message, validation_errors?}``."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) <= {"request_id", "error_code", "message", "validation_errors"}
    uuid.UUID(body["request_id"])
    assert isinstance(body["error_code"], int)
    assert isinstance(body["message"], str)
    assert body["message"]
    if error_code is not None:
        assert body["error_code"] == error_code
    for error in body.get("validation_errors", []):
        assert isinstance(error["message"], str)
        assert set(error) <= {"message", "path"}
    return body


def hero_image_value(
    client: httpx.Client, item: str = "home", language: str = "en-US"
) -> list[dict[str, Any]]:
    """The value of the ``hero_image`` element of a variant (the type tells which element id it is)."""
    type_ = client.get("/types/codename/article").json()
    element_id = next(e["id"] for e in type_["elements"] if e["codename"] == "hero_image")
    variant = client.get(f"/items/codename/{item}/variants/codename/{language}").json()
    value: list[dict[str, Any]] = next(
        e["value"] for e in variant["elements"] if e["element"]["id"] == element_id
    )
    return value


def element_value(client: httpx.Client, codename: str, item: str, language: str = "en-US") -> Any:
    type_ = client.get("/types/codename/article").json()
    element_id = next(e["id"] for e in type_["elements"] if e["codename"] == codename)
    variant = client.get(f"/items/codename/{item}/variants/codename/{language}").json()
    return next(e["value"] for e in variant["elements"] if e["element"]["id"] == element_id)
