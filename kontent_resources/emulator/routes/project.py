"""Environment-level read endpoints: languages, collections, content types."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import domain
from ..pagination import continuation_of, list_page
from ..refs import parse_path_ref
from ..store import Tx
from ..util import now_iso
from ..web import api_base, emulator_of, json_response, path_param


async def list_languages(request: Request) -> Response:
    return await _paginated(request, domain.LANGUAGE, "languages", "/languages")


async def get_language(request: Request) -> Response:
    ref = parse_path_ref(path_param(request, "ref"))
    doc = await emulator_of(request).store.run(lambda tx: domain.require(tx, domain.LANGUAGE, ref))
    return json_response(domain.public(doc))


async def list_collections(request: Request) -> Response:
    def read(tx: Tx) -> dict[str, object]:
        collections = [domain.public(doc) for doc in tx.all(domain.COLLECTION)]
        modified = tx.meta_get(domain.COLLECTIONS_MODIFIED_META) or now_iso()
        return {"collections": collections, "last_modified": modified}

    return json_response(await emulator_of(request).store.run(read))


async def list_types(request: Request) -> Response:
    return await _paginated(request, domain.TYPE, "types", "/types")


async def get_type(request: Request) -> Response:
    ref = parse_path_ref(path_param(request, "ref"))
    doc = await emulator_of(request).store.run(lambda tx: domain.require(tx, domain.TYPE, ref))
    return json_response(domain.public(doc))


async def _paginated(request: Request, kind: str, key: str, suffix: str) -> Response:
    emu = emulator_of(request)
    token = continuation_of(request)
    next_url = api_base(request) + suffix

    def read(tx: Tx) -> dict[str, object]:
        page, pagination = list_page(
            tx, kind, token=token, page_size=emu.config.page_size, next_url=next_url, render=domain.public
        )
        return {key: page, "pagination": pagination}

    return json_response(await emu.store.run(read))


routes = [
    Route("/languages", list_languages, methods=["GET"]),
    Route("/languages/{ref:ref}", get_language, methods=["GET"]),
    Route("/collections", list_collections, methods=["GET"]),
    Route("/types", list_types, methods=["GET"]),
    Route("/types/{ref:ref}", get_type, methods=["GET"]),
]
