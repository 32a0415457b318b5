"""Asset renditions: a crop-and-resize recipe applied to an image asset (no delete in the API)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar, Literal, Self

from pydantic import Field, field_validator, model_validator

from ._base import KontentDateTime, RequestModel, ResponseModel
from .common import PagedResponse


@dataclass(frozen=True)
class Transformation:
    """Crop the rectangle (``x``, ``y``, ``width``, ``height``) and resize it to
    ``custom_width`` x ``custom_height`` (mode ``rect``, fit ``clip``: no upscaling).

    The one transformation users write, for ``Rendition`` and the client alike. It holds the
    numbers as given; they are checked where a bad one can be named (``Rendition``'s preview
    check, or ``TransformationRequest`` when the client sends it).
    """

    x: int
    y: int
    width: int
    height: int
    custom_width: int
    custom_height: int

    def to_request(self) -> TransformationRequest:
        return TransformationRequest.model_validate(asdict(self))


class TransformationRequest(RequestModel):
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

    def to_request(self) -> TransformationRequest:
        fields = ("x", "y", "width", "height", "custom_width", "custom_height")
        return TransformationRequest.model_validate({name: getattr(self, name) for name in fields})


class Rendition(ResponseModel):
    rendition_id: str
    asset_id: str
    external_id: str | None = None
    transformation: RenditionTransformation
    last_modified: KontentDateTime | None = None


def _as_request(value: Any) -> Any:
    """Request bodies take the users' ``Transformation`` as well as the request model."""
    return value.to_request() if isinstance(value, Transformation) else value


class RenditionCreate(RequestModel):
    transformation: TransformationRequest
    external_id: str | None = None

    _accept_transformation = field_validator("transformation", mode="before")(_as_request)


class RenditionModify(RequestModel):
    transformation: TransformationRequest

    _accept_transformation = field_validator("transformation", mode="before")(_as_request)


class RenditionListResponse(PagedResponse):
    asset_renditions: list[Rendition]
