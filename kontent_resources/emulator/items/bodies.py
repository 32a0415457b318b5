"""Request bodies of items; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from pydantic import Field

from ..body import ApiBody
from ..refs import Reference


class ItemBody(ApiBody):
    name: str = Field(min_length=1, max_length=200)
    codename: str | None = None
    type: Reference | None = None
    collection: Reference | None = None
    external_id: str | None = Field(default=None, min_length=1)
