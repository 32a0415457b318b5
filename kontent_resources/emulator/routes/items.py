"""Content items: list, retrieve, add, upsert, delete (their content lives in variants)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response

from .. import domain, errors
from ..errors import invalid_body
from ..pagination import continuation_of, list_page
from ..refs import Ref, Reference, find, parse_path_ref
from ..store import Doc, Tx
from ..util import ZERO_ID, derived_id, is_valid_codename, new_id, now_iso, unique_codename
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


class ItemBody(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    name: str = Field(min_length=1, max_length=200)
    codename: str | None = None
    type: Reference | None = None
    collection: Reference | None = None
    external_id: str | None = Field(default=None, min_length=1)


def _resolve_type(tx: Tx, ref: Reference) -> str:
    doc = find(tx, domain.TYPE, ref.to_ref())
    if doc is None:
        raise invalid_body((f"The content type '{ref.to_ref().describe()}' does not exist.", "type"))
    return str(doc["id"])


def _resolve_collection(tx: Tx, ref: Reference) -> str:
    doc = find(tx, domain.COLLECTION, ref.to_ref())
    if doc is None:
        raise invalid_body((f"The collection '{ref.to_ref().describe()}' does not exist.", "collection"))
    return str(doc["id"])


def _apply_codename(tx: Tx, item: Doc, codename: str | None) -> None:
    if codename is None:
        if "codename" not in item:
            item["codename"] = unique_codename(item["name"], lambda c: tx.exists(domain.ITEM, "codename", c))
        return
    if not is_valid_codename(codename):
        raise invalid_body((f"The codename '{codename}' is not valid.", "codename"))
    holder = tx.find(domain.ITEM, "codename", codename)
    if holder is not None and holder["id"] != item["id"]:
        raise errors.bad_request(
            f"The codename '{codename}' is already used by content item '{holder['id']}'."
        )
    item["codename"] = codename


def create_item(tx: Tx, env: str, body: ItemBody) -> Doc:
    if body.type is None:
        raise invalid_body(("Provide the content item's content type.", "type"))
    if body.external_id is not None and tx.exists(domain.ITEM, "external_id", body.external_id):
        raise errors.bad_request(f"A content item with the external ID '{body.external_id}' already exists.")
    item_id = derived_id(env, domain.ITEM, body.external_id) if body.external_id else new_id()
    item: Doc = {"id": item_id, "name": body.name}
    _apply_codename(tx, item, body.codename)
    item["type"] = {"id": _resolve_type(tx, body.type)}
    collection = _resolve_collection(tx, body.collection) if body.collection else ZERO_ID
    item |= {"collection": {"id": collection}, "spaces": [], "sitemap_locations": []}
    if body.external_id is not None:
        item["external_id"] = body.external_id
    item["last_modified"] = now_iso()
    tx.put(domain.ITEM, item)
    return item


def update_item(tx: Tx, item: Doc, body: ItemBody) -> Doc:
    if body.type is not None and _resolve_type(tx, body.type) != item["type"]["id"]:
        raise invalid_body(("The content type of an existing content item cannot be changed.", "type"))
    if body.external_id is not None and body.external_id != item.get("external_id"):
        raise invalid_body(("External IDs cannot be upserted into existing items.", "external_id"))
    item["name"] = body.name
    _apply_codename(tx, item, body.codename)
    if body.collection is not None:
        item["collection"] = {"id": _resolve_collection(tx, body.collection)}
    item["last_modified"] = now_iso()
    tx.put(domain.ITEM, item)
    return item


def upsert_item(tx: Tx, env: str, ref: Ref, body: ItemBody) -> tuple[Doc, bool]:
    existing = find(tx, domain.ITEM, ref)
    if existing is not None:
        return update_item(tx, existing, body), False
    if ref.by != "external_id":
        raise errors.not_found(
            f"The requested content item '{ref.value}' was not found.", errors.ITEM_NOT_FOUND
        )
    return create_item(tx, env, body.model_copy(update={"external_id": ref.value})), True


def delete_item_tx(tx: Tx, ref: Ref) -> None:
    item = domain.require(tx, domain.ITEM, ref)
    tx.delete_children(domain.VARIANT, item["id"])
    tx.delete(domain.ITEM, item["id"])


# -- handlers ---------------------------------------------------------------------------------
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
