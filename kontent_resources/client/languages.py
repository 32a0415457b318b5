"""``/languages``: list and get."""

from __future__ import annotations

from collections.abc import Iterator

from ..models.languages import Language, LanguageListResponse
from ._http import ApiArea
from .identifiers import Identifier


class LanguagesApi(ApiArea):
    def list(self) -> Iterator[Language]:
        yield from self._list("/languages", LanguageListResponse, lambda page: page.languages)

    def get(self, ref: Identifier) -> Language:
        return self._get("languages", ref, "language", Language)
