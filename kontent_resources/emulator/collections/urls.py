"""Routes of collections; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..web import by_method, emulator_of, json_response, parse_operations, read_json
from .bodies import CollectionOp
from .models import modify_collections, read_collections

_EMPTY = "Provide an array of at least one operation."


async def list_collections(request: Request) -> Response:
    return json_response(await emulator_of(request).store.run(read_collections))


async def patch_collections(request: Request) -> Response:
    emu = emulator_of(request)
    operations = parse_operations(CollectionOp, await read_json(request), _EMPTY)
    return json_response(
        await emu.store.run(lambda tx: modify_collections(tx, emu.config.environment_id, operations))
    )


routes = [by_method("/collections", GET=list_collections, PATCH=patch_collections)]
