"""Asset renditions: a crop-and-resize recipe applied to an image asset (no delete in the API)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar, Literal, Self

from pydantic import ConfigDict, Field, field_validator, model_validator
from pydantic.dataclasses import dataclass as pydantic_dataclass

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

    def as_dict(self) -> dict[str, int]:
        """The six numbers by name (a rendition's also holds the mode and fit it was made with)."""
        return {name: getattr(self, name) for name in TRANSFORMATION_FIELDS}

    def to_request(self) -> TransformationRequest:
        return TransformationRequest.model_validate(self.as_dict())


# The names of the six numbers, as the API, the state and the outputs spell them.
TRANSFORMATION_FIELDS = tuple(field.name for field in fields(Transformation))


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


@pydantic_dataclass(frozen=True, config=ConfigDict(extra="allow"))
class RenditionTransformation(Transformation):
    """A rendition's transformation as the API returns it: the six numbers of a ``Transformation``
    (so it goes back to the API as one) and the mode and fit the API applied. A key the API adds
    later is kept as an attribute, as response models keep theirs, but not dumped back."""

    mode: str
    fit: str


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
