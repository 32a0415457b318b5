"""``/languages``: list and get."""

from __future__ import annotations

from collections.abc import Iterator

from ..models.languages import Language, LanguageListResponse
from ._http import HttpCore
from .identifiers import Identifier, path_ref


class LanguagesApi:
    def __init__(self, http: HttpCore) -> None:
        self._http = http

    def list(self) -> Iterator[Language]:
        for page in self._http.iter_pages("/languages", LanguageListResponse):
            yield from page.languages

    def get(self, ref: Identifier) -> Language:
        path = f"/languages/{path_ref(ref, what='language')}"
        return self._http.request_model("GET", path, Language)
