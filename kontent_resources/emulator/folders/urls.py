"""Routes of folders; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..web import by_method, emulator_of, json_response, parse_operations, read_body, read_json
from .bodies import FolderOp, FoldersBody
from .models import apply_operations, create_tree, describe, read_tree

_NOT_ARRAY = "The body must be an array of operations."
_EMPTY = "No patch operations were provided, provide at least one operation."


async def get_folders(request: Request) -> Response:
    return json_response(await emulator_of(request).store.run(read_tree))


async def post_folders(request: Request) -> Response:
    emu = emulator_of(request)
    body = await read_body(request, FoldersBody)
    env = emu.config.environment_id
    return json_response(await emu.store.run(lambda tx: create_tree(tx, env, body)), 201)


async def patch_folders(request: Request) -> Response:
    emu = emulator_of(request)
    operations = parse_operations(FolderOp, await read_json(request), _EMPTY, _NOT_ARRAY, describe)
    env = emu.config.environment_id
    return json_response(await emu.store.run(lambda tx: apply_operations(tx, env, operations)))


routes = [by_method("/folders", GET=get_folders, POST=post_folders, PATCH=patch_folders)]
