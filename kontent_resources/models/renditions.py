"""Asset renditions: a crop-and-resize recipe applied to an image asset (no delete in the API)."""

from __future__ import annotations

from typing import ClassVar, Literal, Self

from pydantic import Field, model_validator

from ._base import KontentDateTime, RequestModel, ResponseModel
from .common import PagedResponse


class Transformation(RequestModel):
    """A ``rect``/``clip`` transformation as sent to the API.

    Checks what is knowable without the image: non-negative coordinates, positive sizes and
    no upscaling. Whether the rectangle fits inside the image is the caller's (or the API's) job.
    """

    _always_send: ClassVar[frozenset[str]] = frozenset({"mode", "fit"})

    mode: Literal["rect"] = "rect"
    fit: Literal["clip"] = "clip"
    x: int = Field(ge=0)
    y: int = Field(ge=0)
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    custom_width: int = Field(gt=0)
    custom_height: int = Field(gt=0)

    @model_validator(mode="after")
    def _no_upscaling(self) -> Self:
        if self.custom_width > self.width or self.custom_height > self.height:
            raise ValueError(
                f"custom size {self.custom_width}x{self.custom_height} exceeds the region "
                f"{self.width}x{self.height}: the API does not upscale"
            )
        return self


class RenditionTransformation(ResponseModel):
    mode: str
    fit: str
    x: int
    y: int
    width: int
    height: int
    custom_width: int
    custom_height: int

    def to_request(self) -> Transformation:
        fields = ("x", "y", "width", "height", "custom_width", "custom_height")
        return Transformation.model_validate({name: getattr(self, name) for name in fields})


class Rendition(ResponseModel):
    rendition_id: str
    asset_id: str
    external_id: str | None = None
    transformation: RenditionTransformation
    last_modified: KontentDateTime | None = None


class RenditionCreate(RequestModel):
    transformation: Transformation
    external_id: str | None = None


class RenditionModify(RequestModel):
    transformation: Transformation


class RenditionListResponse(PagedResponse):
    asset_renditions: list[Rendition]
