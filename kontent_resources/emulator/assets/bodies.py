"""Request bodies of Add an asset and Upsert an asset (parsing only; each limit cites its passage)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kontent_resources.api_limits import TITLE_MAX_LENGTH

from ..refs import Reference


class FileReference(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    id: str
    type: Literal["internal"] = "internal"


class DescriptionIn(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    language: Reference
    description: str | None


class CollectionIn(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    reference: Reference | None


class TaxonomyElementIn(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    element: Reference
    value: list[Reference] = Field(default_factory=list)


class AssetBody(BaseModel):
    """Body of POST /assets (and, with the title rule below, of PUT /assets/{ref}); on update only
    the fields sent change."""

    model_config = ConfigDict(extra="ignore", strict=True)

    file_reference: FileReference | None = None
    # Add an asset, request body: "title | string or null <= 200 characters" (002, "Add an asset";
    # mapi-v2-endpoints.json: nullable, optional). No minimum: "" is a valid title.
    title: str | None = Field(default=None, max_length=TITLE_MAX_LENGTH)
    descriptions: list[DescriptionIn] | None = None
    folder: Reference | None = None
    collection: CollectionIn | None = None
    codename: str | None = None
    external_id: str | None = Field(default=None, min_length=1)
    elements: list[TaxonomyElementIn] | None = None


class UpsertAssetBody(AssetBody):
    """Body of PUT /assets/{ref}."""

    # Upsert an asset, request body: "title | string [ 1 .. 200 ] characters" (002, "Upsert an
    # asset"; mapi-v2-endpoints.json: non-nullable, optional): 1 to 200 characters, never null.
    title: str = Field(default="", min_length=1, max_length=TITLE_MAX_LENGTH)
