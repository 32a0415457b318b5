"""Routes of renditions; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .. import domain
from ..pagination import continuation_of, list_page
from ..refs import Identifier, parse_path_ref
from ..store import Doc, Tx
from ..web import api_base, by_method, emulator_of, json_response, path_param, read_body
from .bodies import RenditionBody, RenditionUpdate
from .models import add_rendition, modify_rendition, require_rendition


def _asset_ref(request: Request) -> Identifier:
    return parse_path_ref(path_param(request, "ref"))


async def list_renditions(request: Request) -> Response:
    emu = emulator_of(request)
    token, asset_ref = continuation_of(request), _asset_ref(request)

    def read(tx: Tx) -> dict[str, Any]:
        asset = domain.require(tx, domain.ASSET, asset_ref)
        page, pagination = list_page(
            tx,
            domain.RENDITION,
            token=token,
            page_size=emu.config.page_size,
            next_url=f"{api_base(request)}/assets/{asset['id']}/renditions",
            render=domain.public,
            parent=asset["id"],
        )
        return {"asset_renditions": page, "pagination": pagination}

    return json_response(await emu.store.run(read))


async def post_rendition(request: Request) -> Response:
    emu = emulator_of(request)
    body = await read_body(request, RenditionBody)
    asset_ref, env = _asset_ref(request), emu.config.environment_id
    return json_response(await emu.store.run(lambda tx: add_rendition(tx, env, asset_ref, body)), 201)


async def get_rendition(request: Request) -> Response:
    asset_ref = _asset_ref(request)
    ref = parse_path_ref(path_param(request, "rendition_ref"))

    def read(tx: Tx) -> Doc:
        return require_rendition(tx, domain.require(tx, domain.ASSET, asset_ref), ref)

    return json_response(domain.public(await emulator_of(request).store.run(read)))


async def put_rendition(request: Request) -> Response:
    body = await read_body(request, RenditionUpdate)
    asset_ref, ref = _asset_ref(request), parse_path_ref(path_param(request, "rendition_ref"))
    doc = await emulator_of(request).store.run(lambda tx: modify_rendition(tx, asset_ref, ref, body))
    return json_response(domain.public(doc))


routes = [
    by_method("/assets/{ref:ref}/renditions/{rendition_ref:ref}", GET=get_rendition, PUT=put_rendition),
    by_method("/assets/{ref:ref}/renditions", GET=list_renditions, POST=post_rendition),
]
