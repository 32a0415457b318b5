"""Assets: add, upsert (by id, external id or codename), delete, and the rules they follow;
rendering of the asset object (its ``url`` points at the emulator's file server)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .. import domain, errors
from ..errors import invalid_body
from ..folders import models as folder_tree
from ..refs import Identifier, Reference, find
from ..store import Doc, Tx
from ..util import ZERO_ID, derived_id, is_valid_codename, new_id, now_iso, unique_codename
from .bodies import AssetBody, CollectionIn, DescriptionIn, TaxonomyElementIn
from .usage import asset_uses


# -- rendering ----------------------------------------------------------------------------
def render_asset(doc: Doc, root: str, environment_id: str) -> dict[str, Any]:
    out = domain.public(doc)
    file_id = doc["file_reference"]["id"]
    out["url"] = f"{root}/assets/{environment_id}/{file_id}/{quote(doc['file_name'])}"
    return out


# -- body → document -------------------------------------------------------------------
def _resolve_descriptions(tx: Tx, descriptions: list[DescriptionIn]) -> list[dict[str, Any]]:
    resolved: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, entry in enumerate(descriptions):
        language = find(tx, domain.LANGUAGE, entry.language.to_identifier())
        path = f"descriptions[{index}].language"
        if language is None:
            raise invalid_body(
                (f"The language '{entry.language.to_identifier().describe()}' does not exist.", path)
            )
        if language["id"] in seen:
            raise invalid_body((f"The language '{language['codename']}' is described more than once.", path))
        seen.add(language["id"])
        resolved.append({"language": {"id": language["id"]}, "description": entry.description})
    return resolved


def _resolve_folder(tx: Tx, folder: Reference) -> str | None:
    """Folder id, or None for the root (``{"id": "00000000-…"}``)."""
    if folder.id == ZERO_ID:
        return None
    node = folder_tree.find_folder(folder_tree.load_tree(tx), folder.to_identifier())
    if node is None:
        raise invalid_body((f"The folder '{folder.to_identifier().describe()}' does not exist.", "folder"))
    return str(node["id"])


def _resolve_collection(tx: Tx, collection: CollectionIn) -> dict[str, Any]:
    if collection.reference is None:
        return {"reference": None}
    doc = find(tx, domain.COLLECTION, collection.reference.to_identifier())
    if doc is None:
        message = f"The collection '{collection.reference.to_identifier().describe()}' does not exist."
        raise invalid_body((message, "collection.reference"))
    return {"reference": {"id": doc["id"]}}


def _resolve_elements(env: str, elements: list[TaxonomyElementIn]) -> list[dict[str, Any]]:
    """Asset taxonomy elements; taxonomies are not modelled, so references map to stable ids."""

    def to_id(kind: str, ref: Reference) -> str:
        ref_ = ref.to_identifier()
        return ref_.value if ref_.by == "id" else derived_id(env, kind, f"{ref_.by}:{ref_.value}")

    return [
        {"element": {"id": to_id("element", e.element)}, "value": [{"id": to_id("term", v)} for v in e.value]}
        for e in elements
    ]


def _attach_file(tx: Tx, asset: Doc, file_id: str) -> None:
    """Point ``asset`` at an uploaded file; a file may back one asset only."""
    record = tx.get(domain.FILE, file_id)
    if record is None:
        message = (
            f"The file reference '{file_id}' does not exist. Upload the file first (POST /files/{{name}})."
        )
        raise invalid_body((message, "file_reference.id"))
    owner = _file_owner(tx, file_id)
    if owner is not None and owner != asset["id"]:
        raise errors.bad_request(
            f"The binary file '{file_id}' is already used by asset '{owner}'. "
            "Each binary file can be referenced only by a single asset."
        )
    previous = asset.get("file_reference", {}).get("id")
    if previous and previous != file_id:
        _set_file_owner(tx, previous, None)
    _set_file_owner(tx, file_id, asset["id"])
    asset["file_reference"] = {"id": file_id, "type": "internal"}
    for key in ("file_name", "size", "type", "image_width", "image_height"):
        asset[key] = record[key]


def _file_owner(tx: Tx, file_id: str) -> str | None:
    record = tx.get(domain.FILE, file_id)
    return None if record is None else record.get("_asset_id")


def _set_file_owner(tx: Tx, file_id: str, asset_id: str | None) -> None:
    record = tx.get(domain.FILE, file_id)
    if record is not None:
        record["_asset_id"] = asset_id
        tx.put(domain.FILE, record, parent=asset_id)


def _apply_codename(tx: Tx, asset: Doc, codename: str | None) -> None:
    if codename is None:
        if "codename" not in asset:
            source = asset.get("title") or asset["file_name"]
            asset["codename"] = unique_codename(source, lambda c: tx.exists(domain.ASSET, "codename", c))
        return
    if not is_valid_codename(codename):
        message = "A codename may contain lowercase letters, digits and '_', must not start with a digit "
        raise invalid_body((message + "and may be at most 60 characters long.", "codename"))
    holder = tx.find(domain.ASSET, "codename", codename)
    if holder is not None and holder["id"] != asset["id"]:
        raise errors.bad_request(f"The codename '{codename}' is already used by asset '{holder['id']}'.")
    asset["codename"] = codename


def _apply_external_id(tx: Tx, asset: Doc, external_id: str | None) -> None:
    if external_id is None or external_id == asset.get("external_id"):
        return
    if "external_id" in asset:
        raise errors.bad_request(
            f"The external ID of asset '{asset['id']}' is '{asset['external_id']}' and cannot be changed."
        )
    if tx.exists(domain.ASSET, "external_id", external_id):
        raise errors.bad_request(f"An asset with the external ID '{external_id}' already exists.")
    asset["external_id"] = external_id


def _apply_body(tx: Tx, env: str, asset: Doc, body: AssetBody) -> str | None:
    """Apply the fields present in ``body``; returns the asset's folder id."""
    sent = body.model_fields_set
    if body.file_reference is not None:
        _attach_file(tx, asset, body.file_reference.id)
    if "title" in sent:
        asset["title"] = body.title
    if body.descriptions is not None:
        asset["descriptions"] = _resolve_descriptions(tx, body.descriptions)
    if body.collection is not None:
        asset["collection"] = _resolve_collection(tx, body.collection)
    if body.elements is not None:
        asset["elements"] = _resolve_elements(env, body.elements)
    _apply_external_id(tx, asset, body.external_id)
    _apply_codename(tx, asset, body.codename)
    folder_id: str | None = asset.get("folder", {}).get("id")
    if body.folder is not None:
        folder_id = _resolve_folder(tx, body.folder)
    if folder_id is None:
        asset.pop("folder", None)
    else:
        asset["folder"] = {"id": folder_id}
    asset["last_modified"] = now_iso()
    return folder_id


def _new_asset(asset_id: str) -> Doc:
    return {
        "id": asset_id,
        "title": None,
        "descriptions": [],
        "elements": [],
        "collection": {"reference": None},
    }


def _ordered(asset: Doc) -> Doc:
    """Key order of the real payloads (cosmetic, but makes dumps easy to compare)."""
    order = [
        "id", "file_name", "title", "size", "type", "image_width", "image_height", "file_reference",
        "folder", "collection", "descriptions", "elements", "codename", "external_id", "last_modified",
    ]  # fmt: skip
    return {key: asset[key] for key in order if key in asset} | asset


def create_asset(tx: Tx, env: str, body: AssetBody, asset_id: str | None = None) -> Doc:
    if body.file_reference is None:
        raise invalid_body(
            ("The 'file_reference' property is required when creating an asset.", "file_reference")
        )
    if asset_id is None:
        asset_id = derived_id(env, domain.ASSET, body.external_id) if body.external_id else new_id()
    asset = _new_asset(asset_id)
    folder_id = _apply_body(tx, env, asset, body)
    asset = _ordered(asset)
    tx.put(domain.ASSET, asset, folder=folder_id)
    tx.delete(domain.ASSET_PLACEHOLDER, asset_id)
    return asset


def update_asset(tx: Tx, env: str, asset: Doc, body: AssetBody) -> Doc:
    folder_id = _apply_body(tx, env, asset, body)
    tx.put(domain.ASSET, asset, folder=folder_id)
    return asset


def upsert_asset(tx: Tx, env: str, ref: Identifier, body: AssetBody) -> tuple[Doc, bool]:
    """Update the asset ``ref`` points at, or create it when ``ref`` is an external id.

    Updating an existing asset by codename is assumed to work (the reference names only the
    internal and external id for upserts, but codename references work everywhere else)."""
    existing = find(tx, domain.ASSET, ref)
    if existing is not None:
        return update_asset(tx, env, existing, body), False
    if ref.by == "id":
        raise errors.not_found(f"The requested asset '{ref.value}' was not found.", errors.ASSET_NOT_FOUND)
    if ref.by == "external_id":
        if body.external_id not in (None, ref.value):
            raise invalid_body(
                ("The external ID in the body differs from the one in the URL.", "external_id")
            )
        body = body.model_copy(update={"external_id": ref.value})
        return create_asset(tx, env, body, derived_id(env, domain.ASSET, ref.value)), True
    # "When adding a new asset, use an external ID as the asset's identifier." (Upsert an asset)
    raise errors.not_found(
        f"The requested asset '{ref.value}' was not found; add a new asset by its external ID.",
        errors.ASSET_NOT_FOUND,
    )


def _refuse_used(tx: Tx, asset: Doc) -> None:
    """ "Delete an unused asset from an environment." (Delete an asset): a used one is refused with
    400, naming each use (the status and the wording are assumptions: only 204 and 404 are documented)."""
    uses = asset_uses(tx, asset)
    if not uses:
        return
    shown = "; ".join(use.describe() for use in uses[:5]) + ("; …" if len(uses) > 5 else "")
    raise errors.bad_request(
        f"The asset '{asset['id']}' is in use in {len(uses)} language variant version(s) ({shown}) and "
        "cannot be deleted. Only unused assets can be deleted: remove it from those variants first."
    )


def delete_asset_tx(tx: Tx, ref: Identifier, on_file_removed: Any) -> None:
    asset = domain.require(tx, domain.ASSET, ref)
    _refuse_used(tx, asset)
    file_id = asset["file_reference"]["id"]
    tx.delete_children(domain.RENDITION, asset["id"])
    tx.delete(domain.ASSET, asset["id"])
    tx.delete(domain.FILE, file_id)
    tx.after_commit(lambda: on_file_removed(file_id))
