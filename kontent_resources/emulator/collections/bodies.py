"""Request bodies of collections; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from pydantic import Field

from kontent_resources.api_limits import COLLECTION_CODENAME_MAX_LENGTH, COLLECTION_NAME_MAX_LENGTH

from ..body import ApiBody
from ..refs import PatchOperation


class CollectionIn(ApiBody):
    name: str = Field(min_length=1, max_length=COLLECTION_NAME_MAX_LENGTH)
    codename: str | None = Field(default=None, min_length=1, max_length=COLLECTION_CODENAME_MAX_LENGTH)
    external_id: str | None = Field(default=None, min_length=1)


class CollectionOp(PatchOperation):
    property_name: str | None = None
