"""The request of Upload a binary file: the file name in the path and the two required headers
(parsing only). Reference (Upload a binary file): ``Content-Type`` and ``Content-Length`` are
required headers; a missing one is error 205 (documented error code)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from .. import errors
from ..web import path_param


@dataclass(frozen=True)
class Upload:
    file_name: str
    media_type: str
    declared_length: str


def _required_header(request: Request, name: str) -> str:
    value = request.headers.get(name)
    if not value:
        raise errors.MissingHeaderError(f"The request does not contain required header {name}.")
    return value


def parse_upload(request: Request) -> Upload:
    return Upload(
        file_name=path_param(request, "file_name"),
        media_type=_required_header(request, "Content-Type").split(";")[0].strip().lower(),
        declared_length=_required_header(request, "Content-Length"),
    )
