"""Seed data: the default content of a fresh environment, and ``POST /_emulator/seed``.

Seed body (every list optional; objects are referenced by codename; ids, when omitted,
are derived from the codename so they are stable across resets)::

    {
      "languages":   [{"codename": "de-DE", "name": "German", "id"?, "external_id"?,
                       "is_active"?: true, "is_default"?: false, "fallback_language"?: "en-US"}],
      "collections": [{"codename": "marketing", "name": "Marketing", "id"?, "external_id"?}],
      "types":       [{"codename": "gallery", "name": "Gallery", "id"?, "external_id"?,
                       "elements": [{"codename": "images", "name": "Images", "type": "asset",
                                     "id"?, "external_id"?, "is_required"?, "is_non_localizable"?}]}],
      "items":       [{"codename": "my_page", "name": "My page", "type": "article", "id"?,
                       "external_id"?, "collection"?: "default",
                       "variants": {"en-US": {"elements": {"title": "Hello", "hero_image": [{"id": "…"}]},
                                              "workflow_step"?: "draft"|"review"|"published"|"archived"}}}]
    }

Element types: text, rich_text, asset, number, date_time, url_slug, custom, modular_content,
taxonomy, multiple_choice. A codename that already exists is an error (nothing is applied).
"""

from __future__ import annotations

import copy
from typing import Any

from . import domain, errors
from .seed_bodies import (
    SeedCollection,
    SeedElement,
    SeedItem,
    SeedLanguage,
    SeedPayload,
    SeedType,
    SeedVariant,
)
from .store import Doc, Tx
from .util import ZERO_ID, derived_id, now_iso

ES_ES_ID = "d1f95fde-af02-b3b5-bd9e-f232311ccab8"  # the id es-ES has in the reference payloads
#: What every environment has, even with ``--no-seed``: the default language and collection
#: (plus the default workflow, see ``apply_seed``).
BASE_SEED = SeedPayload(
    languages=[SeedLanguage(codename="en-US", name="English (United States)", id=ZERO_ID, is_default=True)],
    collections=[SeedCollection(codename="default", name="Default", id=ZERO_ID)],
)
#: The sample content of a fresh environment.
SAMPLE_SEED = SeedPayload(
    languages=[
        SeedLanguage(codename="es-ES", name="Spanish (Spain)", id=ES_ES_ID, fallback_language="en-US")
    ],
    types=[
        SeedType(
            codename="article",
            name="Article",
            elements=[
                SeedElement(codename="title", name="Title", type="text"),
                SeedElement(codename="hero_image", name="Hero image", type="asset"),
                SeedElement(codename="body", name="Body", type="rich_text"),
            ],
        )
    ],
    items=[
        SeedItem(
            codename="home",
            name="Home",
            type="article",
            variants={
                "en-US": SeedVariant(elements={"title": "Home", "body": "<p>Welcome.</p>"}),
                "es-ES": SeedVariant(elements={"title": "Inicio", "body": "<p>Bienvenidos.</p>"}),
            },
        ),
        SeedItem(
            codename="about_us",
            name="About us",
            type="article",
            variants={"en-US": SeedVariant(elements={"title": "About us"}, workflow_step="published")},
        ),
        SeedItem(
            codename="contact",
            name="Contact",
            type="article",
            variants={"en-US": SeedVariant(elements={"title": "Contact"})},
        ),
    ],
)


def _seed_id(env: str, kind: str, codename: str, explicit: str | None) -> str:
    return explicit.lower() if explicit else derived_id(env, f"seed-{kind}", codename)


def _conflict(tx: Tx, kind: str, codename: str) -> None:
    if tx.exists(kind, "codename", codename):
        raise errors.bad_request(f"A {kind} with the codename '{codename}' already exists.")


def _by_codename(tx: Tx, kind: str, codename: str) -> Doc:
    doc = tx.find(kind, "codename", codename)
    if doc is None:
        raise errors.bad_request(f"The {kind} '{codename}' does not exist.")
    return doc


def _with_external_id(doc: Doc, external_id: str | None) -> Doc:
    if external_id is not None:
        doc["external_id"] = external_id
    return doc


def _add_language(tx: Tx, env: str, spec: SeedLanguage) -> str:
    _conflict(tx, domain.LANGUAGE, spec.codename)
    language_id = _seed_id(env, "language", spec.codename, spec.id)
    fallback = (
        _by_codename(tx, domain.LANGUAGE, spec.fallback_language)["id"] if spec.fallback_language else None
    )
    doc: Doc = {"id": language_id, "name": spec.name, "codename": spec.codename}
    _with_external_id(doc, spec.external_id)
    doc |= {
        "is_active": spec.is_active,
        "is_default": spec.is_default,
        "fallback_language": {"id": fallback or language_id},
    }
    tx.put(domain.LANGUAGE, doc)
    return language_id


def _add_collection(tx: Tx, env: str, spec: SeedCollection) -> str:
    _conflict(tx, domain.COLLECTION, spec.codename)
    doc = _with_external_id(
        {
            "id": _seed_id(env, "collection", spec.codename, spec.id),
            "name": spec.name,
            "codename": spec.codename,
        },
        spec.external_id,
    )
    tx.put(domain.COLLECTION, doc)
    tx.meta_set(domain.COLLECTIONS_MODIFIED_META, now_iso())
    return str(doc["id"])


def _element(env: str, type_codename: str, spec: SeedElement) -> Doc:
    doc: Doc = {
        "name": spec.name,
        "guidelines": spec.guidelines,
        "type": spec.type,
        "id": _seed_id(env, f"element-{type_codename}", spec.codename, spec.id),
        "codename": spec.codename,
        "is_required": spec.is_required,
        "is_non_localizable": spec.is_non_localizable,
    }
    if spec.type == "asset":
        doc |= {"asset_count_limit": None, "maximum_file_size": None, "allowed_file_types": "any",
                "image_width_limit": None, "image_height_limit": None}  # fmt: skip
    return _with_external_id(doc, spec.external_id)


def _add_type(tx: Tx, env: str, spec: SeedType) -> str:
    _conflict(tx, domain.TYPE, spec.codename)
    doc: Doc = {"id": _seed_id(env, "type", spec.codename, spec.id), "codename": spec.codename}
    _with_external_id(doc, spec.external_id)
    doc |= {
        "last_modified": now_iso(),
        "name": spec.name,
        "content_groups": [],
        "elements": [_element(env, spec.codename, e) for e in spec.elements],
    }
    tx.put(domain.TYPE, doc)
    return str(doc["id"])


_STEPS: dict[str, str] = {
    "draft": domain.DRAFT_STEP,
    "review": domain.REVIEW_STEP,
    "published": domain.PUBLISHED_STEP,
    "archived": domain.ARCHIVED_STEP,
}


def _variant_elements(type_doc: Doc, values: dict[str, Any]) -> list[Doc]:
    by_codename = {e["codename"]: e for e in type_doc["elements"]}
    unknown = sorted(set(values) - set(by_codename))
    if unknown:
        raise errors.bad_request(f"Unknown elements for type '{type_doc['codename']}': {', '.join(unknown)}.")
    elements: list[Doc] = []
    for codename, value in values.items():
        definition = by_codename[codename]
        if definition["type"] == "asset":
            value = [{"id": v["id"], "renditions": list(v.get("renditions", []))} for v in value]
        elements.append({"element": {"id": definition["id"]}, "value": value})
    return elements


def _add_variant(tx: Tx, item: Doc, type_doc: Doc, language_codename: str, spec: SeedVariant) -> None:
    language = _by_codename(tx, domain.LANGUAGE, language_codename)
    stamp = now_iso()
    step = _STEPS[spec.workflow_step]
    elements = _variant_elements(type_doc, spec.elements)
    variant: Doc = {
        "item": {"id": item["id"]},
        "language": {"id": language["id"]},
        "elements": elements,
        "workflow": {
            "workflow_identifier": {"id": domain.DEFAULT_WORKFLOW_ID},
            "step_identifier": {"id": step},
        },
        "last_modified": stamp,
        "_published": {"elements": copy.deepcopy(elements), "last_modified": stamp}
        if step == domain.PUBLISHED_STEP
        else None,
    }
    tx.put(domain.VARIANT, variant, key=f"{item['id']}:{language['id']}", parent=item["id"])


def _add_item(tx: Tx, env: str, spec: SeedItem) -> str:
    _conflict(tx, domain.ITEM, spec.codename)
    type_doc = _by_codename(tx, domain.TYPE, spec.type)
    collection = _by_codename(tx, domain.COLLECTION, spec.collection)
    item: Doc = {
        "id": _seed_id(env, "item", spec.codename, spec.id),
        "name": spec.name,
        "codename": spec.codename,
    }
    item |= {
        "type": {"id": type_doc["id"]},
        "collection": {"id": collection["id"]},
        "spaces": [],
        "sitemap_locations": [],
    }
    _with_external_id(item, spec.external_id)
    item["last_modified"] = now_iso()
    tx.put(domain.ITEM, item)
    for language_codename, variant in spec.variants.items():
        _add_variant(tx, item, type_doc, language_codename, variant)
    return str(item["id"])


def fixed_steps() -> dict[str, Doc]:
    """The Published, Scheduled and Archived steps, the same in every workflow."""
    return {
        "published": {
            "id": domain.PUBLISHED_STEP,
            "name": "Published",
            "codename": "published",
            "unpublish_role_ids": [],
            "create_new_version_role_ids": [],
        },
        "scheduled": {"id": domain.SCHEDULED_STEP, "name": "Scheduled", "codename": "scheduled"},
        "archived": {"id": domain.ARCHIVED_STEP, "name": "Archived", "codename": "archived", "role_ids": []},
    }


def default_workflow() -> Doc:
    def step(step_id: str, name: str, codename: str, color: str, to: list[str]) -> Doc:
        transitions = [{"step": {"id": target}} for target in to]
        return {"id": step_id, "name": name, "codename": codename, "color": color,
                "transitions_to": transitions, "role_ids": []}  # fmt: skip

    targets = [domain.PUBLISHED_STEP, domain.ARCHIVED_STEP]
    fixed = fixed_steps()
    return {
        "id": domain.DEFAULT_WORKFLOW_ID,
        "name": "Default",
        "codename": "default",
        "scopes": [],
        "steps": [
            step(domain.DRAFT_STEP, "Draft", "draft", "sky-blue", [domain.REVIEW_STEP, *targets]),
            step(domain.REVIEW_STEP, "Review", "review", "persian-green", [domain.DRAFT_STEP, *targets]),
        ],
        "published_step": fixed["published"],
        "scheduled_step": fixed["scheduled"],
        "archived_step": fixed["archived"],
    }


def apply_seed(tx: Tx, env: str, payload: SeedPayload) -> dict[str, dict[str, str]]:
    """Add everything in ``payload``; returns ``{kind: {codename: id}}`` of what was created."""
    if tx.get(domain.WORKFLOW, domain.DEFAULT_WORKFLOW_ID) is None:
        tx.put(domain.WORKFLOW, default_workflow())
    return {
        "languages": {s.codename: _add_language(tx, env, s) for s in payload.languages},
        "collections": {s.codename: _add_collection(tx, env, s) for s in payload.collections},
        "types": {s.codename: _add_type(tx, env, s) for s in payload.types},
        "items": {s.codename: _add_item(tx, env, s) for s in payload.items},
    }


def reset_state(tx: Tx, env: str, seed: bool) -> None:
    """Forget everything; start again from the base content, plus the sample content with ``seed``."""
    tx.delete_everything()
    tx.meta_set("initialized", now_iso())
    apply_seed(tx, env, BASE_SEED)
    if seed:
        apply_seed(tx, env, SAMPLE_SEED)
