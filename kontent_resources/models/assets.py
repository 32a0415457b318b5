"""Binary files and assets."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from ._base import KontentDateTime, RequestModel, ResponseModel
from .common import PagedResponse, RequestReference, ResponseReference


class FileReference(ResponseModel):
    """Returned by ``POST /files/{name}``; points an asset at an uploaded binary."""

    id: str
    type: str = "internal"

    def to_request(self) -> FileReferenceRequest:
        return FileReferenceRequest(id=self.id, type=self.type)


class FileReferenceRequest(RequestModel):
    _always_send: ClassVar[frozenset[str]] = frozenset({"type"})

    id: str
    type: str = "internal"


class AssetDescription(ResponseModel):
    language: ResponseReference
    description: str | None = None


class AssetDescriptionRequest(RequestModel):
    language: RequestReference
    description: str

    @classmethod
    def for_language(cls, language_codename: str, description: str) -> AssetDescriptionRequest:
        return cls(language=RequestReference.by_codename(language_codename), description=description)


class AssetElement(ResponseModel):
    """A taxonomy element of the asset type. Values are term references (or anything newer)."""

    element: ResponseReference
    value: Any = None


class AssetElementRequest(RequestModel):
    element: RequestReference
    value: list[RequestReference]


class AssetCollection(ResponseModel):
    reference: ResponseReference | None = None


class AssetCollectionRequest(RequestModel):
    """``{"reference": null}`` removes the asset from its collection, so ``None`` is sent as null."""

    _always_send: ClassVar[frozenset[str]] = frozenset({"reference"})

    reference: RequestReference | None = None


class Asset(ResponseModel):
    id: str
    file_name: str | None = None
    title: str | None = None
    size: int | None = None
    type: str | None = None
    url: str | None = None
    image_width: int | None = None
    image_height: int | None = None
    file_reference: FileReference | None = None
    folder: ResponseReference | None = None
    collection: AssetCollection | None = None
    descriptions: list[AssetDescription] = Field(default_factory=list)
    elements: list[AssetElement] = Field(default_factory=list)
    codename: str | None = None
    external_id: str | None = None
    last_modified: KontentDateTime | None = None


class _AssetWrite(RequestModel):
    title: str | None = Field(default=None, max_length=200)
    folder: RequestReference | None = None
    collection: AssetCollectionRequest | None = None
    descriptions: list[AssetDescriptionRequest] | None = None
    elements: list[AssetElementRequest] | None = None
    codename: str | None = None


class AssetCreate(_AssetWrite):
    """Body of ``POST /assets``."""

    file_reference: FileReferenceRequest
    external_id: str | None = None


class AssetUpsert(_AssetWrite):
    """Body of ``PUT /assets/{ref}``.

    ``file_reference`` is required when the PUT creates the asset and may be changed later
    (swapping the binary keeps the asset id). To move an asset to the root folder set
    ``folder=RequestReference.root_folder()``.
    """

    file_reference: FileReferenceRequest | None = None


class AssetListResponse(PagedResponse):
    assets: list[Asset]
