"""Request bodies of languages; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ..body import ApiBody
from ..refs import Reference


class LanguageIn(ApiBody):
    name: str = Field(min_length=1)
    codename: str = Field(min_length=1)
    external_id: str | None = Field(default=None, min_length=1)
    is_active: bool = True
    fallback_language: Reference | None = None


class LanguageOp(ApiBody):
    op: str
    property_name: str
    value: Any
