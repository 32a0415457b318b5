"""Language variants: upsert, and the rules for element values (asset references, renditions,
value types) and for which variants may be edited.

A variant whose latest version is in the Published, Scheduled or Archived step cannot be upserted:
create a new version (a draft copy in the first step) or move it to another step first, as in the
real API (DESIGN §6; Upsert a language variant).
"""

from __future__ import annotations

from typing import Any

from .. import domain, errors
from ..errors import invalid_body
from ..refs import Identifier, Reference, find
from ..store import Doc, Tx
from ..util import derived_id, now_iso
from ..web import parse_model
from .bodies import AssetValueIn, VariantBody
from .models import (
    LIST_TYPES,
    STRING_TYPES,
    empty_schedule,
    item_and_language,
    save_variant,
    settle_schedule,
    step_of,
    variant_key,
)


# -- element values ------------------------------------------------------------------------------
def _asset_entry(tx: Tx, env: str, raw: Any, path: str) -> dict[str, Any]:
    """``{id}`` / ``{external_id}`` / ``{codename}`` (+ renditions) → ``{id, renditions}``.

    An external id of an asset that does not exist yet is accepted, as in the real API
    ("External IDs can point to non-existent (not yet imported) content"): the value
    stores the id the asset will get once it is created with that external id.
    """
    if not isinstance(raw, dict):
        raise invalid_body(("An asset reference must be an object with 'id' or 'external_id'.", path))
    entry = parse_model(AssetValueIn, raw, path)
    ref = entry.to_identifier()
    asset = find(tx, domain.ASSET, ref)
    if asset is not None:
        renditions = [
            _rendition_id(tx, asset, r.to_identifier(), f"{path}.renditions[{i}]")
            for i, r in enumerate(entry.renditions)
        ]
        return {"id": asset["id"], "renditions": [{"id": r} for r in renditions]}
    placeholder_id = _placeholder(tx, env, ref)
    if placeholder_id is None:
        raise invalid_body((f"The asset '{ref.describe()}' does not exist.", path))
    if entry.renditions:
        raise invalid_body(("Renditions can be referenced only for assets that exist.", f"{path}.renditions"))
    return {"id": placeholder_id, "renditions": []}


def _placeholder(tx: Tx, env: str, ref: Identifier) -> str | None:
    if ref.by == "external_id":
        placeholder_id = derived_id(env, domain.ASSET, ref.value)
        tx.put(domain.ASSET_PLACEHOLDER, {"id": placeholder_id, "external_id": ref.value})
        return placeholder_id
    if ref.by == "id" and tx.get(domain.ASSET_PLACEHOLDER, ref.value) is not None:
        return ref.value
    return None


def _rendition_id(tx: Tx, asset: Doc, ref: Identifier, path: str) -> str:
    rendition = find(tx, domain.RENDITION, ref, parent=asset["id"])
    if rendition is None:
        raise invalid_body(
            (f"The rendition '{ref.describe()}' of asset '{asset['id']}' does not exist.", path)
        )
    return str(rendition["rendition_id"])


def _asset_value(tx: Tx, env: str, value: Any, path: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise invalid_body(("The value of an asset element must be an array of asset references.", path))
    entries = [_asset_entry(tx, env, raw, f"{path}[{i}]") for i, raw in enumerate(value)]
    ids = [e["id"] for e in entries]
    if len(set(ids)) != len(ids):
        raise invalid_body(("The same asset is referenced more than once.", path))
    return entries


def _reference_list(env: str, value: Any, path: str) -> list[dict[str, str]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise invalid_body(("The value must be an array of references.", path))
    refs = [parse_model(Reference, v, f"{path}[{i}]").to_identifier() for i, v in enumerate(value)]
    return [{"id": r.value if r.by == "id" else derived_id(env, "ref", f"{r.by}:{r.value}")} for r in refs]


def _normalize(tx: Tx, env: str, definition: Doc, value: Any, path: str) -> Any:
    element_type = definition["type"]
    if element_type == "asset":
        return _asset_value(tx, env, value, path)
    if element_type in LIST_TYPES:
        return _reference_list(env, value, path)
    if element_type in STRING_TYPES and value is not None and not isinstance(value, str):
        raise invalid_body((f"The value of a {element_type} element must be a string.", path))
    if element_type == "number" and (isinstance(value, bool) or not isinstance(value, int | float | None)):
        raise invalid_body(("The value of a number element must be a number.", path))
    return value


def _definition(type_doc: Doc, ref: Reference, path: str) -> Doc:
    wanted = ref.to_identifier()
    for definition in type_doc["elements"]:
        if definition.get(wanted.by) == wanted.value or (
            wanted.by == "id" and definition["id"] == wanted.value.lower()
        ):
            return dict(definition)
    raise invalid_body((f"The element '{wanted.describe()}' is not an element of the content type.", path))


# -- operations ----------------------------------------------------------------------------------
def _ensure_editable(tx: Tx, item: Doc, language: Doc, variant: Doc) -> None:
    step = step_of(variant)
    if step not in domain.LOCKED_STEPS:
        return
    hint = (
        "Create a new version first (PUT …/new-version)."
        if step == domain.PUBLISHED_STEP
        else "Move it to another workflow step first (PUT …/change-workflow)."
    )
    raise errors.bad_request(
        f"The language variant of content item '{item['codename']}' in language '{language['codename']}' "
        "is in "
        f"the {domain.LOCKED_STEPS[step]} workflow step and cannot be modified. {hint}"
    )


def _new_variant(tx: Tx, item: Doc, language: Doc) -> Doc:
    workflow = domain.workflow_for(tx, item["type"]["id"], (item.get("collection") or {}).get("id"))
    return {
        "item": {"id": item["id"]},
        "language": {"id": language["id"]},
        "elements": [],
        "workflow": {
            "workflow_identifier": {"id": workflow["id"]},
            "step_identifier": {"id": domain.first_step_id(workflow)},
        },
        "schedule": empty_schedule(),
        "_published": None,
    }


def _merge(tx: Tx, env: str, variant: Doc, type_doc: Doc, language: Doc, body: VariantBody) -> None:
    """Replace only the elements in ``body``; non-localizable ones are skipped for non-default languages."""
    current = {entry["element"]["id"]: entry for entry in variant["elements"]}
    for index, element in enumerate(body.elements):
        path = f"elements[{index}]"
        definition = _definition(type_doc, element.element, f"{path}.element")
        if definition.get("is_non_localizable") and not language.get("is_default"):
            continue
        value = _normalize(tx, env, definition, element.value, f"{path}.value")
        current[definition["id"]] = {"element": {"id": definition["id"]}, "value": value}
    variant["elements"] = list(current.values())


def upsert_variant(
    tx: Tx, env: str, item_ref: Identifier, language_ref: Identifier, body: VariantBody
) -> tuple[Doc, bool]:
    item, language = item_and_language(tx, item_ref, language_ref)
    if not language.get("is_active", True):
        raise errors.bad_request(f"The language '{language['codename']}' is not active.")
    type_doc = domain.require(tx, domain.TYPE, Identifier("id", item["type"]["id"]))
    existing = tx.get(domain.VARIANT, variant_key(item["id"], language["id"]))
    variant = settle_schedule(tx, existing) if existing is not None else _new_variant(tx, item, language)
    if existing is not None:
        _ensure_editable(tx, item, language, variant)
    _merge(tx, env, variant, type_doc, language, body)
    variant["last_modified"] = now_iso()
    save_variant(tx, variant)
    return variant, existing is None
