"""Routes of languages; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from .. import domain
from ..pagination import paginated_response
from ..refs import parse_path_ref
from ..web import by_method, emulator_of, json_response, parse_model, parse_operations, path_param, read_json
from .bodies import LanguageIn, LanguageOp
from .models import add_language, modify_language

_EMPTY = "Provide an array of at least one operation."


async def list_languages(request: Request) -> Response:
    return await paginated_response(request, domain.LANGUAGE, "languages", "/languages")


async def get_language(request: Request) -> Response:
    ref = parse_path_ref(path_param(request, "ref"))
    doc = await emulator_of(request).store.run(lambda tx: domain.require(tx, domain.LANGUAGE, ref))
    return json_response(domain.public(doc))


async def post_language(request: Request) -> Response:
    emu = emulator_of(request)
    body = parse_model(LanguageIn, await read_json(request))
    doc = await emu.store.run(lambda tx: add_language(tx, emu.config.environment_id, body))
    return json_response(domain.public(doc), status=201)


async def patch_language(request: Request) -> Response:
    ref = parse_path_ref(path_param(request, "ref"))
    operations = parse_operations(LanguageOp, await read_json(request), _EMPTY)
    doc = await emulator_of(request).store.run(lambda tx: modify_language(tx, ref, operations))
    return json_response(domain.public(doc))


routes = [
    by_method("/languages", GET=list_languages, POST=post_language),
    by_method("/languages/{ref:ref}", GET=get_language, PATCH=patch_language),
]
