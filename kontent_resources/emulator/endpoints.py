"""Endpoint factories for the plain routes every API area has: list a kind page by page, get one
by its reference, add one from a body, create or update one by reference, delete one. A route
module declares these in its table and writes by hand only what its area does differently."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import domain
from .pagination import paginated_response
from .refs import Identifier, parse_path_ref
from .store import Doc, Tx
from .web import Endpoint, by_method, emulator_of, json_response, no_content, path_param, read_body

Render = Callable[[Request, Doc], dict[str, Any]]
"""How an area shows one object in a response (most show its public keys as stored)."""


def public_render(request: Request, doc: Doc) -> dict[str, Any]:
    """The object's public keys, as ``domain.public`` gives them."""
    return domain.public(doc)


def _named(endpoint: Endpoint, name: str) -> Endpoint:
    endpoint.__name__ = name
    return endpoint


def list_endpoint(kind: str, key: str, suffix: str) -> Endpoint:
    """``GET`` of a paginated list: ``{key: [...], "pagination": {...}}``."""

    async def list_all(request: Request) -> Response:
        return await paginated_response(request, kind, key, suffix)

    return _named(list_all, f"list_{key}")


def get_endpoint(
    name: str, require: Callable[[Tx, Identifier], Doc], render: Render = public_render
) -> Endpoint:
    """``GET`` of one object by the ``{ref}`` of its path."""

    async def get_one(request: Request) -> Response:
        ref = parse_path_ref(path_param(request, "ref"))
        doc = await emulator_of(request).store.run(lambda tx: require(tx, ref))
        return json_response(render(request, doc))

    return _named(get_one, f"get_{name}")


def require_kind(kind: str) -> Callable[[Tx, Identifier], Doc]:
    """The object of ``kind`` a reference names, or the API's 404."""

    def require(tx: Tx, ref: Identifier) -> Doc:
        return domain.require(tx, kind, ref)

    return require


def add_endpoint(
    name: str,
    body_model: type[BaseModel],
    add: Callable[[Tx, str, Any], Doc],
    render: Render = public_render,
) -> Endpoint:
    """``POST`` of a new object from a body: 201 with the object."""

    async def add_one(request: Request) -> Response:
        emu = emulator_of(request)
        body = await read_body(request, body_model)
        env = emu.config.environment_id
        doc = await emu.store.run(lambda tx: add(tx, env, body))
        return json_response(render(request, doc), 201)

    return _named(add_one, f"add_{name}")


def upsert_endpoint(
    name: str,
    body_model: type[BaseModel],
    upsert: Callable[[Tx, str, Identifier, Any], tuple[Doc, bool]],
    render: Render = public_render,
) -> Endpoint:
    """``PUT`` of an object by the ``{ref}`` of its path: 201 when it was created, 200 when updated."""

    async def put_one(request: Request) -> Response:
        emu = emulator_of(request)
        ref = parse_path_ref(path_param(request, "ref"))
        body = await read_body(request, body_model)
        env = emu.config.environment_id
        doc, created = await emu.store.run(lambda tx: upsert(tx, env, ref, body))
        return json_response(render(request, doc), 201 if created else 200)

    return _named(put_one, f"put_{name}")


def delete_endpoint(name: str, delete: Callable[[Tx, Identifier], None]) -> Endpoint:
    """``DELETE`` of one object by the ``{ref}`` of its path: 204."""

    async def delete_one(request: Request) -> Response:
        ref = parse_path_ref(path_param(request, "ref"))
        await emulator_of(request).store.run(lambda tx: delete(tx, ref))
        return no_content()

    return _named(delete_one, f"delete_{name}")


def collection_route(
    kind: str, key: str, name: str, body_model: type[BaseModel], add: Callable[[Tx, str, Any], Doc]
) -> Route:
    """The route ``/<key>`` of a kind: ``GET`` lists its objects, ``POST`` adds one."""
    return by_method(
        f"/{key}", GET=list_endpoint(kind, key, f"/{key}"), POST=add_endpoint(name, body_model, add)
    )
