"""Routes of items; the passages they follow are cited in the
package docstring and next to each rule."""

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
    read_json,
)
from .bodies import ItemBody
from .models import create_item, delete_item_tx, upsert_item


async def list_items(request: Request) -> Response:
    emu = emulator_of(request)
    token = continuation_of(request)

    def read(tx: Tx) -> dict[str, Any]:
        page, pagination = list_page(
            tx,
            domain.ITEM,
            token=token,
            page_size=emu.config.page_size,
            next_url=api_base(request) + "/items",
            render=domain.public,
        )
        return {"items": page, "pagination": pagination}

    return json_response(await emu.store.run(read))


async def add_item(request: Request) -> Response:
    emu = emulator_of(request)
    body = parse_model(ItemBody, await read_json(request))
    env = emu.config.environment_id
    return json_response(domain.public(await emu.store.run(lambda tx: create_item(tx, env, body))), 201)


async def get_item(request: Request) -> Response:
    ref = parse_path_ref(path_param(request, "ref"))
    doc = await emulator_of(request).store.run(lambda tx: domain.require(tx, domain.ITEM, ref))
    return json_response(domain.public(doc))


async def put_item(request: Request) -> Response:
    emu = emulator_of(request)
    ref = parse_path_ref(path_param(request, "ref"))
    body = parse_model(ItemBody, await read_json(request))
    env = emu.config.environment_id
    doc, created = await emu.store.run(lambda tx: upsert_item(tx, env, ref, body))
    return json_response(domain.public(doc), 201 if created else 200)


async def delete_item(request: Request) -> Response:
    ref = parse_path_ref(path_param(request, "ref"))
    await emulator_of(request).store.run(lambda tx: delete_item_tx(tx, ref))
    return no_content()


routes = [
    by_method("/items", GET=list_items, POST=add_item),
    by_method("/items/{ref:ref}", GET=get_item, PUT=put_item, DELETE=delete_item),
]
