"""Languages and collections: read-only lookups the providers resolve codenames against."""

from __future__ import annotations

from pydantic import Field

from ._base import KontentDateTime, ResponseModel
from .common import PagedResponse, ResponseReference


class Language(ResponseModel):
    id: str
    name: str
    codename: str
    external_id: str | None = None
    is_active: bool = True
    is_default: bool = False
    fallback_language: ResponseReference | None = None


class LanguageListResponse(PagedResponse):
    languages: list[Language]


class Collection(ResponseModel):
    id: str
    name: str
    codename: str
    external_id: str | None = None


class CollectionListResponse(ResponseModel):
    """``GET /collections`` is not paginated."""

    collections: list[Collection] = Field(default_factory=list)
    last_modified: KontentDateTime | None = None
