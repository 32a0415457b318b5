"""State and rules of collections; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from kontent_resources.api_limits import COLLECTION_CODENAME_MAX_LENGTH, COLLECTION_NAME_MAX_LENGTH

from .. import domain
from ..errors import ApiError, invalid_body
from ..refs import Identifier, Reference
from ..store import Doc, Tx
from ..util import ZERO_ID, derived_id, new_id, now_iso, unique_codename
from .bodies import CollectionIn, CollectionOp

_POSITION = "_position"  # the list order, which move/addInto change (stripped from the API view)


class _RefusedError(Exception):
    """An operation that cannot be applied; the whole PATCH is refused."""


def ordered(tx: Tx) -> list[Doc]:
    return sorted(tx.all(domain.COLLECTION), key=lambda doc: doc.get(_POSITION, 0))


def read_collections(tx: Tx) -> dict[str, Any]:
    collections = [domain.public(doc) for doc in ordered(tx)]
    return {
        "collections": collections,
        "last_modified": tx.meta_get(domain.COLLECTIONS_MODIFIED_META) or now_iso(),
    }


def modify_collections(tx: Tx, env: str, operations: list[CollectionOp]) -> dict[str, Any]:
    collections = [dict(doc) for doc in ordered(tx)]  # edits stay private until all succeeded
    removed: list[str] = []
    for index, operation in enumerate(operations):
        try:
            _apply(tx, env, collections, removed, operation)
        except (_RefusedError, ApiError) as exc:
            detail = exc.message if isinstance(exc, ApiError) else str(exc)
            raise invalid_body((f"Invalid operation with index '{index}': {detail}", None)) from exc
    for collection_id in removed:
        tx.delete(domain.COLLECTION, collection_id)
    for position, doc in enumerate(collections):
        tx.put(domain.COLLECTION, doc | {_POSITION: position})
    tx.meta_set(domain.COLLECTIONS_MODIFIED_META, now_iso())
    return read_collections(tx)


def _apply(tx: Tx, env: str, collections: list[Doc], removed: list[str], op: CollectionOp) -> None:
    if op.op == "addInto":
        _add(env, collections, op)
    elif op.op == "move":
        moving = collections.pop(_index(collections, op.reference))
        collections.insert(_position(collections, op), moving)
    elif op.op == "remove":
        doc = collections[_index(collections, op.reference)]
        _refuse_removing(tx, doc)
        collections.remove(doc)
        removed.append(doc["id"])
    elif op.op == "replace":
        _replace(collections, collections[_index(collections, op.reference)], op)
    else:
        raise _RefusedError(f"Unknown operation '{op.op}'; use addInto, move, remove or replace.")


def _matches(doc: Doc, ref: Identifier) -> bool:
    return (
        str(doc.get(ref.by) or "").lower() == ref.value.lower()
        if ref.by == "id"
        else doc.get(ref.by) == ref.value
    )


def _index(collections: list[Doc], reference: Reference | None) -> int:
    if reference is None:
        raise _RefusedError("The operation needs a 'reference' to an existing collection.")
    ref = reference.to_identifier()
    for index, doc in enumerate(collections):
        if _matches(doc, ref):
            return index
    raise _RefusedError("The referenced object was not found.")


def _position(collections: list[Doc], op: CollectionOp) -> int:
    if op.before is not None and op.after is not None:
        raise _RefusedError("The before and after properties are mutually exclusive.")
    if op.before is not None:
        return _index(collections, op.before)
    if op.after is not None:
        return _index(collections, op.after) + 1
    return len(collections)


def _taken(collections: list[Doc], column: str, value: str, itself: Doc | None = None) -> bool:
    return any(doc.get(column) == value and doc is not itself for doc in collections)


def _add(env: str, collections: list[Doc], op: CollectionOp) -> None:
    try:
        value = CollectionIn.model_validate(op.value, strict=True)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise _RefusedError(f"The collection to add is invalid: {problems}") from exc
    for column in ("codename", "external_id"):
        wanted = getattr(value, column)
        if wanted is not None and _taken(collections, column, wanted):
            raise _RefusedError(f"A collection with the {column} '{wanted}' already exists.")
    doc: Doc = {
        "id": derived_id(env, "collection", value.external_id) if value.external_id else new_id(),
        "name": value.name,
        "codename": value.codename
        or unique_codename(value.name, lambda c: _taken(collections, "codename", c)),
    }
    if value.external_id is not None:
        doc["external_id"] = value.external_id
    collections.insert(_position(collections, op), doc)


def _replace(collections: list[Doc], doc: Doc, op: CollectionOp) -> None:
    value = op.value
    if op.property_name == "name":
        if not isinstance(value, str) or not 1 <= len(value) <= COLLECTION_NAME_MAX_LENGTH:
            raise _RefusedError(f"A collection's name must be 1 to {COLLECTION_NAME_MAX_LENGTH} characters.")
    elif op.property_name == "codename":
        if not isinstance(value, str) or not 1 <= len(value) <= COLLECTION_CODENAME_MAX_LENGTH:
            raise _RefusedError(
                f"A collection's codename must be 1 to {COLLECTION_CODENAME_MAX_LENGTH} characters."
            )
        if _taken(collections, "codename", value, itself=doc):
            raise _RefusedError(f"A collection with the codename '{value}' already exists.")
    else:
        raise _RefusedError(f"The property '{op.property_name}' cannot be replaced; use name or codename.")
    doc[op.property_name] = value


def _collection_of(doc: Doc) -> str | None:
    """An asset keeps ``{"reference": {"id": …} | None}``, a content item ``{"id": …}``."""
    held = doc.get("collection") or {}
    held = held.get("reference") or {} if "reference" in held else held
    return held.get("id")


def _refuse_removing(tx: Tx, doc: Doc) -> None:
    if doc["id"] == ZERO_ID:
        raise _RefusedError("The default collection cannot be removed.")
    users = [
        f"{kind}s"
        for kind in (domain.ASSET, domain.ITEM)
        if any(_collection_of(other) == doc["id"] for other in tx.all(kind))
    ]
    if users:
        raise _RefusedError(
            f"The collection '{doc['codename']}' is in use by {' and '.join(users)}; move them first."
        )
