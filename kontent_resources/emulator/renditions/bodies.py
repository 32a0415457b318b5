"""Request bodies of renditions; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from pydantic import Field

from ..body import ApiBody


class TransformationBody(ApiBody):
    mode: str
    fit: str
    x: int = Field(ge=0)
    y: int = Field(ge=0)
    width: int = Field(ge=1)
    height: int = Field(ge=1)
    custom_width: int = Field(ge=1)
    custom_height: int = Field(ge=1)


class RenditionBody(ApiBody):
    transformation: TransformationBody
    external_id: str | None = Field(default=None, min_length=1)


class RenditionUpdate(ApiBody):
    transformation: TransformationBody
