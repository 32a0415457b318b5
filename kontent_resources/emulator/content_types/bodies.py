"""Request bodies of Add a content type and Add a content type snippet (parsing only; the rules
that need the state are in ``models``). Limits cite 002, "Add a content type" / "Add a content
type snippet"."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kontent_resources.api_limits import CODENAME_MAX_LENGTH

from ..body import ApiBody
from ..refs import Reference

#: "Array of Asset type element … or UrlSlugTypeElement" (Add a content type, ``elements``)
ElementType = Literal[
    "asset", "snippet", "custom", "date_time", "guidelines", "modular_content", "subpages",
    "multiple_choice", "number", "rich_text", "taxonomy", "text", "url_slug",
]  # fmt: skip
#: "string [ 1 .. 50 ] characters": a type's and a snippet's name, a snippet's codename, a group's name
NAME_MAX_LENGTH = 50


class ElementBody(BaseModel):
    """One element; the properties of each element type are kept as sent (``extra="allow"``)."""

    model_config = ConfigDict(extra="allow", strict=True)

    type: ElementType
    name: str | None = Field(default=None, min_length=1)
    codename: str | None = Field(default=None, min_length=1, max_length=CODENAME_MAX_LENGTH)
    external_id: str | None = Field(default=None, min_length=1)
    content_group: Reference | None = None
    snippet: Reference | None = None

    def extra_properties(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class ContentGroupBody(ApiBody):
    name: str = Field(min_length=1, max_length=NAME_MAX_LENGTH)
    codename: str | None = Field(default=None, min_length=1, max_length=CODENAME_MAX_LENGTH)
    external_id: str | None = Field(default=None, min_length=1)


class ContentTypeBody(ApiBody):
    """Add a content type: ``name`` required, 1 to 50; ``codename`` 1 to 60; ``elements`` required."""

    name: str = Field(min_length=1, max_length=NAME_MAX_LENGTH)
    codename: str | None = Field(default=None, min_length=1, max_length=CODENAME_MAX_LENGTH)
    external_id: str | None = Field(default=None, min_length=1)
    content_groups: list[ContentGroupBody] = Field(default_factory=list)
    elements: list[ElementBody]


class SnippetBody(ApiBody):
    """Add a content type snippet: ``name`` required, 1 to 50; ``codename`` 1 to 50; ``elements`` required."""

    name: str = Field(min_length=1, max_length=NAME_MAX_LENGTH)
    codename: str | None = Field(default=None, min_length=1, max_length=NAME_MAX_LENGTH)
    external_id: str | None = Field(default=None, min_length=1)
    elements: list[ElementBody]
