"""``/items``: content item metadata, read-only here."""

from __future__ import annotations

from collections.abc import Iterator

from ..models.items import ContentItem, ContentItemListResponse
from ._http import ApiArea
from .identifiers import Identifier


class ItemsApi(ApiArea):
    def get(self, ref: Identifier) -> ContentItem:
        return self._get("items", ref, "content item", ContentItem)

    def list(self) -> Iterator[ContentItem]:
        yield from self._list("/items", ContentItemListResponse, lambda page: page.items)
