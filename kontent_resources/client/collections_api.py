"""``/collections``: list (not paginated)."""

from __future__ import annotations

from ..models.languages import Collection, CollectionListResponse
from ._http import ApiArea


class CollectionsApi(ApiArea):
    def list(self) -> list[Collection]:
        return self._http.request_model("GET", "/collections", CollectionListResponse).collections
