"""Routes of files: upload (``POST /files/{file_name}``, streamed to disk) and the file server the
asset ``url`` points at. Handlers parse, call ``models``, render."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from .. import domain
from ..errors import ApiError
from ..util import new_id
from ..web import emulator_of, json_response, path_param
from .bodies import parse_upload
from .models import accepted_length, check_received, file_record, image_dimensions, require_served_file


async def _stream_to_disk(request: Request, target: Path, expected: int) -> int:
    """Write the body chunk by chunk, so memory stays flat whatever the file size."""
    received = 0
    with target.open("wb") as handle:
        async for chunk in request.stream():
            received += len(chunk)
            check_received(received, expected, complete=False)
            handle.write(chunk)
    return received


async def upload_file(request: Request) -> Response:
    emu = emulator_of(request)
    upload = parse_upload(request)
    expected = accepted_length(upload, emu.config.max_file_size)
    incoming = emu.store.incoming_path(new_id())
    try:
        received = await _stream_to_disk(request, incoming, expected)
        check_received(received, expected, complete=True)
        dimensions = image_dimensions(incoming)  # Pillow reads the header only
        file_id = new_id()
        emu.store.commit_blob(incoming, file_id)
    except ClientDisconnect:
        # The client went away mid-upload: drop the partial file; nobody is left to answer.
        incoming.unlink(missing_ok=True)
        return Response(status_code=400)
    except (ApiError, OSError):
        incoming.unlink(missing_ok=True)
        raise
    record = file_record(file_id, upload, received, dimensions)
    await emu.store.run(lambda tx: tx.put(domain.FILE, record))
    return json_response({"id": file_id, "type": "internal"})


async def download_file(request: Request) -> Response:
    """Serves stored bytes at the asset ``url`` without auth, like the real asset CDN."""
    emu = emulator_of(request)
    same_environment = path_param(request, "environment_id").lower() == emu.config.environment_id.lower()
    file_id = path_param(request, "file_id")
    path = emu.store.blob_path(file_id)
    record = await emu.store.run(lambda tx: require_served_file(tx, same_environment, file_id, path))
    return FileResponse(path, media_type=str(record["type"]))


routes = [Route("/files/{file_name:path}", upload_file, methods=["POST"])]


cdn_routes = [
    Route("/assets/{environment_id}/{file_id}/{file_name:path}", download_file, methods=["GET", "HEAD"])
]
