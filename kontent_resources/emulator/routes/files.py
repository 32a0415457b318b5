"""Binary files: streamed upload (``POST /files/{file_name}``) and the CDN-like download URL."""

from __future__ import annotations

from pathlib import Path

import anyio.to_thread
from PIL import Image
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from .. import domain, errors
from ..errors import ApiError
from ..store import Tx
from ..util import new_id, now_iso
from ..web import emulator_of, json_response, path_param

_MAX_FILE_NAME = 500


def image_size(path: Path) -> tuple[int | None, int | None]:
    """Width and height from the image header (Pillow opens lazily), ``None`` for non-images."""
    try:
        with Image.open(path) as image:
            width, height = image.size
    except Exception:  # any unreadable, unknown or hostile file is simply "not an image"
        return None, None
    return int(width), int(height)


def _required_header(request: Request, name: str) -> str:
    value = request.headers.get(name)
    if not value:
        raise ApiError(400, errors.MISSING_HEADER, f"The request does not contain required header {name}.")
    return value


def _declared_length(request: Request, limit: int) -> int:
    raw = _required_header(request, "Content-Length")
    try:
        length = int(raw)
    except ValueError as exc:
        raise errors.bad_request(f"The Content-Length header '{raw}' is not a number.") from exc
    if length < 0:
        raise errors.bad_request("The Content-Length header must not be negative.")
    if length > limit:
        raise errors.bad_request(f"The file is too large: {length} bytes; the limit is {limit} bytes.")
    return length


async def _stream_to_disk(request: Request, target: Path, expected: int) -> int:
    """Write the body chunk by chunk, so memory stays flat whatever the file size."""
    received = 0
    with target.open("wb") as handle:
        async for chunk in request.stream():
            received += len(chunk)
            if received > expected:
                raise errors.bad_request("The request body is longer than its Content-Length header.")
            handle.write(chunk)
    return received


async def upload_file(request: Request) -> Response:
    emu = emulator_of(request)
    file_name = path_param(request, "file_name")
    if not file_name.strip() or len(file_name) > _MAX_FILE_NAME:
        raise errors.bad_request(f"Provide a file name of 1 to {_MAX_FILE_NAME} characters.")
    media_type = _required_header(request, "Content-Type").split(";")[0].strip().lower()
    expected = _declared_length(request, emu.config.max_file_size)
    incoming = emu.store.incoming_path(new_id())
    try:
        received = await _stream_to_disk(request, incoming, expected)
        if received != expected:
            raise errors.bad_request(f"Received {received} bytes but Content-Length announced {expected}.")
        width, height = await anyio.to_thread.run_sync(image_size, incoming)
        file_id = new_id()
        await anyio.to_thread.run_sync(emu.store.commit_blob, incoming, file_id)
    except ClientDisconnect:
        # The client went away mid-upload: drop the partial file; nobody is left to answer.
        incoming.unlink(missing_ok=True)
        return Response(status_code=400)
    except (ApiError, OSError):
        incoming.unlink(missing_ok=True)
        raise
    record = {
        "id": file_id,
        "file_name": file_name,
        "size": received,
        "type": media_type,
        "image_width": width,
        "image_height": height,
        "uploaded": now_iso(),
    }
    await emu.store.run(lambda tx: tx.put(domain.FILE, record))
    return json_response({"id": file_id, "type": "internal"})


async def download_file(request: Request) -> Response:
    """Serves stored bytes at the asset ``url`` without auth, like the real asset CDN."""
    emu = emulator_of(request)
    if path_param(request, "environment_id").lower() != emu.config.environment_id.lower():
        raise errors.not_found("The requested file was not found.")
    file_id = path_param(request, "file_id")

    def read(tx: Tx) -> dict[str, object] | None:
        return tx.get(domain.FILE, file_id)

    record = await emu.store.run(read)
    path = emu.store.blob_path(file_id)
    if record is None or not path.is_file():
        raise errors.not_found("The requested file was not found.")
    return FileResponse(path, media_type=str(record["type"]))


routes = [Route("/files/{file_name:path}", upload_file, methods=["POST"])]
cdn_routes = [
    Route("/assets/{environment_id}/{file_id}/{file_name:path}", download_file, methods=["GET", "HEAD"])
]
