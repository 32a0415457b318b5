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
from ._http import HttpCore
from .identifiers import Identifier, path_ref


class RenditionsApi:
    def __init__(self, http: HttpCore) -> None:
        self._http = http

    def list(self, asset: Identifier) -> Iterator[Rendition]:
        for page in self._http.iter_pages(_base(asset), RenditionListResponse):
            yield from page.asset_renditions

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
