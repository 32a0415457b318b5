"""``POST /files/{name}``: upload a binary, streamed from disk."""

from __future__ import annotations

import hashlib
import mimetypes
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx

from ..models.assets import FileReference
from ._http import HttpCore
from .errors import KontentUploadSourceError

CHUNK_SIZE = 1024 * 1024
FALLBACK_CONTENT_TYPE = "application/octet-stream"


def guess_content_type(file_name: str) -> str:
    """The MIME type for ``file_name`` from its extension, or ``application/octet-stream``."""
    return mimetypes.guess_type(file_name, strict=False)[0] or FALLBACK_CONTENT_TYPE


def _chunks(path: Path, size: int, chunk_size: int, expected_sha256: str | None) -> Iterator[bytes]:
    """Exactly ``size`` bytes of ``path``; the server was promised that many in Content-Length.

    With ``expected_sha256``, the bytes are hashed as they are read, and the last chunk is held
    back when they are not the planned content: the request then ends incomplete, so the API
    stores nothing, instead of a file whose hash the stack's state would misstate.
    """
    remaining = size
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while remaining:
            chunk = source.read(min(chunk_size, remaining))
            if not chunk:
                raise KontentUploadSourceError(f"{path.name} shrank while it was being uploaded")
            remaining -= len(chunk)
            digest.update(chunk)
            if not remaining and expected_sha256 is not None and digest.hexdigest() != expected_sha256:
                raise KontentUploadSourceError(
                    f"{path.name} changed while it was being uploaded: its bytes now have sha256 "
                    f"{digest.hexdigest()[:12]}…, not the {expected_sha256[:12]}… planned; nothing was stored"
                )
            yield chunk


class FilesApi:
    def __init__(self, http: HttpCore, *, timeout: httpx.Timeout, chunk_size: int = CHUNK_SIZE) -> None:
        self._http = http
        self._timeout = timeout
        self._chunk_size = chunk_size

    def upload(
        self,
        path: str | os.PathLike[str],
        *,
        file_name: str | None = None,
        content_type: str | None = None,
        expected_sha256: str | None = None,
    ) -> FileReference:
        """Upload ``path`` and return the reference an asset can point at.

        The body is read from disk in chunks (memory stays flat for any size) and re-read from
        the start on every retry. ``expected_sha256``: fail, storing nothing, when the bytes read
        are not that content (the file changed since it was planned).
        """
        source = Path(path)
        if not source.is_file():
            raise FileNotFoundError(f"not a readable file: {source}")
        name = file_name if file_name is not None else source.name
        if not name.strip():
            raise ValueError("file_name must not be empty")
        size = source.stat().st_size
        headers = {
            "Content-Type": content_type or guess_content_type(name),
            "Content-Length": str(size),
        }
        return self._http.request_model(
            "POST",
            f"/files/{quote(name, safe='')}",
            FileReference,
            headers=headers,
            body=lambda: _chunks(source, size, self._chunk_size, expected_sha256),
            timeout=self._timeout,
        )
