"""Uploaded binary files: the rules of an upload (file name, announced and received length, the
100 MB limit, cited in ``api_limits.MAX_FILE_SIZE``), image dimensions, and the stored record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image

from .. import domain, errors
from ..store import Doc, Tx
from ..util import now_iso
from .bodies import Upload

_MAX_FILE_NAME = 500


def image_dimensions(path: Path) -> tuple[int | None, int | None]:
    """The upload's ``(image_width, image_height)`` as the API reports them: read from the image
    header (Pillow opens lazily), ``(None, None)`` for a file that is not an image."""
    try:
        with Image.open(path) as image:
            width, height = image.size
    except Exception:  # any unreadable, unknown or hostile file is simply "not an image"
        return None, None
    return int(width), int(height)


def accepted_length(upload: Upload, limit: int) -> int:
    """The announced length, once the file name and the length pass the rules."""
    if not upload.file_name.strip() or len(upload.file_name) > _MAX_FILE_NAME:
        raise errors.bad_request(f"Provide a file name of 1 to {_MAX_FILE_NAME} characters.")
    raw = upload.declared_length
    try:
        length = int(raw)
    except ValueError as exc:
        raise errors.bad_request(f"The Content-Length header '{raw}' is not a number.") from exc
    if length < 0:
        raise errors.bad_request("The Content-Length header must not be negative.")
    if length > limit:
        raise errors.bad_request(f"The file is too large: {length} bytes; the limit is {limit} bytes.")
    return length


def check_received(received: int, expected: int, *, complete: bool) -> None:
    """While streaming (``complete=False``) no more than announced; at the end exactly that."""
    if received > expected:
        raise errors.bad_request("The request body is longer than its Content-Length header.")
    if complete and received != expected:
        raise errors.bad_request(f"Received {received} bytes but Content-Length announced {expected}.")


def file_record(file_id: str, upload: Upload, size: int, dimensions: tuple[int | None, int | None]) -> Doc:
    width, height = dimensions
    return {
        "id": file_id,
        "file_name": upload.file_name,
        "size": size,
        "type": upload.media_type,
        "image_width": width,
        "image_height": height,
        "uploaded": now_iso(),
    }


def require_served_file(tx: Tx, environment_ok: bool, file_id: str, blob: Path) -> dict[str, Any]:
    """The record of a file served at an asset ``url``: 404 for another environment or a missing file."""
    record = tx.get(domain.FILE, file_id) if environment_ok else None
    if record is None or not blob.is_file():
        raise errors.not_found("The requested file was not found.")
    return record
