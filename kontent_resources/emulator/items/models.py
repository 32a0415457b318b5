"""State and rules of items; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from .. import domain, errors
from ..errors import invalid_body
from ..refs import Identifier, Reference, find
from ..store import Doc, Tx
from ..util import ZERO_ID, derived_id, is_valid_codename, new_id, now_iso, unique_codename
from .bodies import ItemBody


def _resolve_type(tx: Tx, ref: Reference) -> str:
    doc = find(tx, domain.TYPE, ref.to_identifier())
    if doc is None:
        raise invalid_body((f"The content type '{ref.to_identifier().describe()}' does not exist.", "type"))
    return str(doc["id"])


def _resolve_collection(tx: Tx, ref: Reference) -> str:
    doc = find(tx, domain.COLLECTION, ref.to_identifier())
    if doc is None:
        raise invalid_body(
            (f"The collection '{ref.to_identifier().describe()}' does not exist.", "collection")
        )
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


def upsert_item(tx: Tx, env: str, ref: Identifier, body: ItemBody) -> tuple[Doc, bool]:
    existing = find(tx, domain.ITEM, ref)
    if existing is not None:
        return update_item(tx, existing, body), False
    if ref.by != "external_id":
        raise errors.not_found(
            f"The requested content item '{ref.value}' was not found.", errors.ITEM_NOT_FOUND
        )
    return create_item(tx, env, body.model_copy(update={"external_id": ref.value})), True


def delete_item_tx(tx: Tx, ref: Identifier) -> None:
    item = domain.require(tx, domain.ITEM, ref)
    tx.delete_children(domain.VARIANT, item["id"])
    tx.delete(domain.ITEM, item["id"])
