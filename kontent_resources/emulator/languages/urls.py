"""Routes of languages; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from .. import domain
from ..endpoints import collection_route, get_endpoint, require_kind
from ..refs import parse_path_ref
from ..web import by_method, emulator_of, json_response, parse_operations, path_param, read_json
from .bodies import LanguageIn, LanguageOp
from .models import add_language, modify_language

_EMPTY = "Provide an array of at least one operation."


async def patch_language(request: Request) -> Response:
    ref = parse_path_ref(path_param(request, "ref"))
    operations = parse_operations(LanguageOp, await read_json(request), _EMPTY)
    doc = await emulator_of(request).store.run(lambda tx: modify_language(tx, ref, operations))
    return json_response(domain.public(doc))


routes = [
    collection_route(domain.LANGUAGE, "languages", "language", LanguageIn, add_language),
    by_method(
        "/languages/{ref:ref}",
        GET=get_endpoint("language", require_kind(domain.LANGUAGE)),
        PATCH=patch_language,
    ),
]
