"""Routes of assets: add, list, retrieve, upsert, delete. Handlers parse, call ``models``, render."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .. import domain
from ..endpoints import add_endpoint, get_endpoint, require_kind, upsert_endpoint
from ..pagination import continuation_of, list_page
from ..refs import parse_path_ref
from ..store import Doc, Tx
from ..web import api_base, by_method, emulator_of, json_response, no_content, path_param, public_root
from .bodies import AssetBody, UpsertAssetBody
from .models import create_asset, delete_asset_tx, render_asset, upsert_asset


def _render(request: Request, doc: Doc) -> dict[str, Any]:
    """An asset as the API shows it: with the URL of its file."""
    return render_asset(doc, public_root(request), emulator_of(request).config.environment_id)


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


async def delete_asset(request: Request) -> Response:
    emu = emulator_of(request)
    ref = parse_path_ref(path_param(request, "ref"))
    await emu.store.run(lambda tx: delete_asset_tx(tx, ref, emu.store.remove_blob))
    return no_content()


routes = [
    by_method("/assets", GET=list_assets, POST=add_endpoint("asset", AssetBody, create_asset, _render)),
    by_method(
        "/assets/{ref:ref}",
        GET=get_endpoint("asset", require_kind(domain.ASSET), _render),
        PUT=upsert_endpoint("asset", UpsertAssetBody, upsert_asset, _render),
        DELETE=delete_asset,
    ),
]
