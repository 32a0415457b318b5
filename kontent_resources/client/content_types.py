"""``/types``: content types, read-only."""

from __future__ import annotations

from collections.abc import Iterator

from ..models.content_types import ContentType, ContentTypeListResponse
from ._http import ApiArea
from .identifiers import Identifier


class ContentTypesApi(ApiArea):
    def get(self, ref: Identifier) -> ContentType:
        return self._get("types", ref, "content type", ContentType)

    def list(self) -> Iterator[ContentType]:
        yield from self._list("/types", ContentTypeListResponse, lambda page: page.types)
