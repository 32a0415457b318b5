"""``/assets``: add, get, list, upsert, delete."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..models.assets import Asset, AssetCreate, AssetListResponse, AssetUpsert
from ._http import ApiArea
from .identifiers import Identifier, path_ref
from .results import UpsertResult


class AssetsApi(ApiArea):
    def add(self, asset: AssetCreate) -> Asset:
        return self._http.request_model("POST", "/assets", Asset, json=asset.to_api())

    def get(self, ref: Identifier) -> Asset:
        """The asset by id, ``codename/…`` or ``external-id/…``; raises KontentNotFoundError."""
        return self._http.request_model("GET", _path(ref), Asset)

    def list(self) -> Iterator[Asset]:
        """Every asset, page after page (lazy: requests are made while iterating)."""
        for page in self.pages():
            yield from page

    def pages(self) -> Iterator[Sequence[Asset]]:
        """The listing one page (one request) at a time."""
        for page in self._http.iter_pages("/assets", AssetListResponse):
            yield page.assets

    def upsert(self, ref: Identifier, asset: AssetUpsert) -> UpsertResult[Asset]:
        """Create (by external id, 201) or update (200) the asset; only the fields set are sent."""
        response = self._http.request("PUT", _path(ref), json=asset.to_api())
        return UpsertResult(self._http.decode(response, Asset), created=response.status_code == 201)

    def delete(self, ref: Identifier) -> None:
        """Delete an asset. The API refuses assets that are still used in content."""
        self._http.request("DELETE", _path(ref))


def _path(ref: Identifier) -> str:
    return f"/assets/{path_ref(ref, what='asset')}"
