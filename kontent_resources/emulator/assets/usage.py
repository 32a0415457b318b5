"""Where an asset is used: language variants whose elements reference it."""

from __future__ import annotations

from typing import Any

from .. import domain
from ..store import Doc, Tx


def _references(value: Any, asset_id: str) -> bool:
    """An asset element value (``[{id, renditions}]``) or rich text (``data-asset-id="…"``)."""
    if isinstance(value, list):
        return any(isinstance(entry, dict) and entry.get("id") == asset_id for entry in value)
    return isinstance(value, str) and asset_id in value


def _variant_uses(variant: Doc, asset_id: str) -> bool:
    versions = [variant.get("elements", [])]
    published = variant.get("_published")
    if published:
        versions.append(published.get("elements", []))
    return any(_references(el.get("value"), asset_id) for elements in versions for el in elements)


def asset_usages(tx: Tx, asset_id: str) -> list[str]:
    """``item 'codename' (language)`` for every variant (draft or published version) using the asset."""
    usages: list[str] = []
    for variant in tx.all(domain.VARIANT):
        if not _variant_uses(variant, asset_id):
            continue
        item = tx.get(domain.ITEM, variant["item"]["id"])
        language = tx.get(domain.LANGUAGE, variant["language"]["id"])
        item_name = item["codename"] if item else variant["item"]["id"]
        language_name = language["codename"] if language else variant["language"]["id"]
        usages.append(f"item '{item_name}' ({language_name})")
    return usages
