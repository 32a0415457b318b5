"""``/assets/{asset}/renditions``: list, add, get, modify (the API has no delete)."""

from __future__ import annotations

from collections.abc import Iterator

from ..models.renditions import (
    Rendition,
    RenditionCreate,
    RenditionListResponse,
    RenditionModify,
    Transformation,
    TransformationRequest,
)
from ._http import ApiArea
from .identifiers import Identifier, path_ref


class RenditionsApi(ApiArea):
    def list(self, asset: Identifier) -> Iterator[Rendition]:
        yield from self._list(_base(asset), RenditionListResponse, lambda page: page.asset_renditions)

    def add(self, asset: Identifier, rendition: RenditionCreate) -> Rendition:
        return self._http.request_model("POST", _base(asset), Rendition, json=rendition.to_api())

    def get(self, asset: Identifier, rendition: Identifier) -> Rendition:
        return self._http.request_model("GET", _one(asset, rendition), Rendition)

    def modify(
        self, asset: Identifier, rendition: Identifier, transformation: Transformation | TransformationRequest
    ) -> Rendition:
        body = RenditionModify.model_validate({"transformation": transformation}).to_api()
        return self._http.request_model("PUT", _one(asset, rendition), Rendition, json=body)


def _base(asset: Identifier) -> str:
    return f"/assets/{path_ref(asset, what='asset')}/renditions"


def _one(asset: Identifier, rendition: Identifier) -> str:
    return f"{_base(asset)}/{path_ref(rendition, allow=('id', 'external_id'), what='rendition')}"
