"""Content types: list and retrieve (the toolkit reads asset elements from them)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import domain
from ..pagination import paginated_response
from ..refs import parse_path_ref
from ..web import emulator_of, json_response, path_param


async def list_types(request: Request) -> Response:
    return await paginated_response(request, domain.TYPE, "types", "/types")


async def get_type(request: Request) -> Response:
    ref = parse_path_ref(path_param(request, "ref"))
    doc = await emulator_of(request).store.run(lambda tx: domain.require(tx, domain.TYPE, ref))
    return json_response(domain.public(doc))


routes = [
    Route("/types", list_types, methods=["GET"]),
    Route("/types/{ref:ref}", get_type, methods=["GET"]),
]
