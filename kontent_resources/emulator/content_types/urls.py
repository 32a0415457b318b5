"""Routes of content types and snippets: list, retrieve, add (002, "Content types", "Content type
snippets"), and delete a content type. Handlers parse, call ``models``, render; nothing else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from .. import domain
from ..pagination import paginated_response
from ..refs import Ref, parse_path_ref
from ..store import Doc, Tx
from ..web import (
    Endpoint,
    by_method,
    emulator_of,
    json_response,
    no_content,
    parse_model,
    path_param,
    read_json,
)
from . import models
from .bodies import ContentTypeBody, SnippetBody


def _lister(kind: str, key: str, suffix: str) -> Endpoint:
    async def list_all(request: Request) -> Response:
        return await paginated_response(request, kind, key, suffix)

    list_all.__name__ = f"list_{key}"
    return list_all


def _getter(name: str, require: Callable[[Tx, Ref], Doc]) -> Endpoint:
    async def get_one(request: Request) -> Response:
        ref = parse_path_ref(path_param(request, "ref"))
        doc = await emulator_of(request).store.run(lambda tx: require(tx, ref))
        return json_response(domain.public(doc))

    get_one.__name__ = f"get_{name}"
    return get_one


def _adder(name: str, body_model: type[BaseModel], add: Callable[[Tx, str, Any], Doc]) -> Endpoint:
    async def add_one(request: Request) -> Response:
        emu = emulator_of(request)
        body = parse_model(body_model, await read_json(request))
        env = emu.config.environment_id
        doc = await emu.store.run(lambda tx: add(tx, env, body))
        return json_response(domain.public(doc), 201)

    add_one.__name__ = f"add_{name}"
    return add_one


async def delete_type(request: Request) -> Response:
    ref = parse_path_ref(path_param(request, "ref"))
    await emulator_of(request).store.run(lambda tx: models.delete_content_type(tx, ref))
    return no_content()


def _require_type(tx: Tx, ref: Ref) -> Doc:
    return domain.require(tx, domain.TYPE, ref)


routes = [
    by_method(
        "/types",
        GET=_lister(domain.TYPE, "types", "/types"),
        POST=_adder("type", ContentTypeBody, models.add_content_type),
    ),
    by_method("/types/{ref:ref}", GET=_getter("type", _require_type), DELETE=delete_type),
    by_method(
        "/snippets",
        GET=_lister(models.SNIPPET, "snippets", "/snippets"),
        POST=_adder("snippet", SnippetBody, models.add_snippet),
    ),
    by_method("/snippets/{ref:ref}", GET=_getter("snippet", models.require_snippet)),
]
