"""``/items``: content item metadata, read-only here."""

from __future__ import annotations

from collections.abc import Iterator

from ..models.items import ContentItem, ContentItemListResponse
from ._http import HttpCore
from .identifiers import Identifier, path_ref


class ItemsApi:
    def __init__(self, http: HttpCore) -> None:
        self._http = http

    def get(self, ref: Identifier) -> ContentItem:
        path = f"/items/{path_ref(ref, what='content item')}"
        return self._http.request_model("GET", path, ContentItem)

    def list(self) -> Iterator[ContentItem]:
        for page in self._http.iter_pages("/items", ContentItemListResponse):
            yield from page.items
