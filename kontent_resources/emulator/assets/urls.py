"""Routes of assets: add, list, retrieve, upsert, delete. Handlers parse, call ``models``, render."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .. import domain
from ..pagination import continuation_of, list_page
from ..refs import parse_path_ref
from ..store import Tx
from ..web import (
    api_base,
    by_method,
    emulator_of,
    json_response,
    no_content,
    parse_model,
    path_param,
    public_root,
    read_json,
)
from .bodies import AssetBody, UpsertAssetBody
from .models import create_asset, delete_asset_tx, render_asset, upsert_asset


async def add_asset(request: Request) -> Response:
    emu = emulator_of(request)
    body = parse_model(AssetBody, await read_json(request))
    env = emu.config.environment_id
    doc = await emu.store.run(lambda tx: create_asset(tx, env, body))
    return json_response(render_asset(doc, public_root(request), env), 201)


async def list_assets(request: Request) -> Response:
    emu = emulator_of(request)
    token = continuation_of(request)
    root, env = public_root(request), emu.config.environment_id

    def read(tx: Tx) -> dict[str, Any]:
        page, pagination = list_page(
            tx,
            domain.ASSET,
            token=token,
            page_size=emu.config.page_size,
            next_url=api_base(request) + "/assets",
            render=lambda doc: render_asset(doc, root, env),
        )
        return {"assets": page, "pagination": pagination}

    return json_response(await emu.store.run(read))


async def get_asset(request: Request) -> Response:
    emu = emulator_of(request)
    ref = parse_path_ref(path_param(request, "ref"))
    doc = await emu.store.run(lambda tx: domain.require(tx, domain.ASSET, ref))
    return json_response(render_asset(doc, public_root(request), emu.config.environment_id))


async def put_asset(request: Request) -> Response:
    emu = emulator_of(request)
    ref = parse_path_ref(path_param(request, "ref"))
    body = parse_model(UpsertAssetBody, await read_json(request))
    env = emu.config.environment_id
    doc, created = await emu.store.run(lambda tx: upsert_asset(tx, env, ref, body))
    return json_response(render_asset(doc, public_root(request), env), 201 if created else 200)


async def delete_asset(request: Request) -> Response:
    emu = emulator_of(request)
    ref = parse_path_ref(path_param(request, "ref"))
    await emu.store.run(lambda tx: delete_asset_tx(tx, ref, emu.store.remove_blob))
    return no_content()


routes = [
    by_method("/assets", GET=list_assets, POST=add_asset),
    by_method("/assets/{ref:ref}", GET=get_asset, PUT=put_asset, DELETE=delete_asset),
]
