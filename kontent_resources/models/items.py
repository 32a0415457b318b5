"""Content items: metadata only; the content lives in language variants."""

from __future__ import annotations

from ._base import KontentDateTime, ResponseModel
from .common import PagedResponse, ResponseReference


class ContentItem(ResponseModel):
    id: str
    name: str
    codename: str | None = None
    type: ResponseReference
    collection: ResponseReference | None = None
    external_id: str | None = None
    last_modified: KontentDateTime | None = None


class ContentItemListResponse(PagedResponse):
    items: list[ContentItem]
