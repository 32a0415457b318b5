"""Content types (read side): what the providers need to resolve element codenames."""

from __future__ import annotations

from pydantic import Field

from ._base import KontentDateTime, ResponseModel
from .common import PagedResponse


class _TypePart(ResponseModel):
    """A part of a content type: its id, and the names it may have."""

    id: str
    name: str | None = None
    codename: str | None = None
    external_id: str | None = None


class ContentGroup(_TypePart):
    """A tab of a content type's elements."""


class ContentTypeElement(_TypePart):
    """One element of a content type; type-specific settings stay in the extra fields."""

    type: str


class ContentType(ResponseModel):
    id: str
    name: str
    codename: str
    external_id: str | None = None
    last_modified: KontentDateTime | None = None
    content_groups: list[ContentGroup] = Field(default_factory=list)
    elements: list[ContentTypeElement] = Field(default_factory=list)

    def element(self, codename: str) -> ContentTypeElement | None:
        """The element with this codename, or ``None``."""
        return next((e for e in self.elements if e.codename == codename), None)

    def element_ids(self) -> dict[str, str]:
        """Codename → id for every element that has a codename."""
        return {e.codename: e.id for e in self.elements if e.codename is not None}


class ContentTypeListResponse(PagedResponse):
    types: list[ContentType]
