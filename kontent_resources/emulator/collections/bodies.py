"""Request bodies of collections; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from kontent_resources.api_limits import COLLECTION_CODENAME_MAX_LENGTH, COLLECTION_NAME_MAX_LENGTH

from ..refs import Reference


class CollectionIn(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    name: str = Field(min_length=1, max_length=COLLECTION_NAME_MAX_LENGTH)
    codename: str | None = Field(default=None, min_length=1, max_length=COLLECTION_CODENAME_MAX_LENGTH)
    external_id: str | None = Field(default=None, min_length=1)


class CollectionOp(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    op: str
    reference: Reference | None = None
    value: Any = None
    before: Reference | None = None
    after: Reference | None = None
    property_name: str | None = None
