"""``/types``: content types, read-only."""

from __future__ import annotations

from collections.abc import Iterator

from ..models.content_types import ContentType, ContentTypeListResponse
from ._http import HttpCore
from .identifiers import Identifier, path_ref


class ContentTypesApi:
    def __init__(self, http: HttpCore) -> None:
        self._http = http

    def get(self, ref: Identifier) -> ContentType:
        path = f"/types/{path_ref(ref, what='content type')}"
        return self._http.request_model("GET", path, ContentType)

    def list(self) -> Iterator[ContentType]:
        for page in self._http.iter_pages("/types", ContentTypeListResponse):
            yield from page.types
