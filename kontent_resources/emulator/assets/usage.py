"""Where an asset is used: the rule behind "Delete an unused asset from an environment".

The reference says only that: the endpoint deletes an *unused* asset and documents 204 and 404.
What "used" means and how a used asset is refused are this emulator's assumptions (see
docs/emulator-fidelity.md): an asset is used when the latest or the published version of any
language variant refers to it, in an asset element (``[{"id": …}]``, as stored) or in rich text
(``<figure data-asset-id="…">``, or ``data-asset-external-id`` as a client may have written it);
the refusal is a 400 in the documented error shape, naming each use.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from .. import domain
from ..store import Doc, Tx

_RICH_TEXT_ASSET = re.compile(r'data-asset-(id|external-id)\s*=\s*"([^"]+)"')


@dataclass(frozen=True, order=True)
class AssetUse:
    """One version of one variant whose element refers to the asset."""

    item: str  # codename (its id when the item is gone)
    language: str  # codename
    element: str  # codename
    version: str  # "draft" (the latest version, unpublished) or "published"

    def describe(self) -> str:
        return f"item '{self.item}' ({self.language}), element '{self.element}', {self.version}"


def _references(value: Any, asset: Doc) -> bool:
    """An asset element value (``[{id, renditions}]``) or rich text that refers to ``asset``."""
    if isinstance(value, list):
        return any(isinstance(entry, dict) and entry.get("id") == asset["id"] for entry in value)
    if not isinstance(value, str):
        return False
    wanted = {("id", asset["id"])}
    if asset.get("external_id"):
        wanted.add(("external-id", asset["external_id"]))
    return any((kind, ref) in wanted for kind, ref in _RICH_TEXT_ASSET.findall(html.unescape(value)))


def _versions(variant: Doc) -> list[tuple[str, list[Doc]]]:
    """(version, elements): the latest version, and the published one when it differs."""
    published = variant.get("_published")
    latest_is_published = variant["workflow"]["step_identifier"]["id"] == domain.PUBLISHED_STEP
    versions = [("published" if latest_is_published else "draft", variant.get("elements", []))]
    if published and not latest_is_published:
        versions.append(("published", published.get("elements", [])))
    return versions


def _element_codenames(tx: Tx, item: Doc | None) -> dict[str, str]:
    type_doc = tx.get(domain.TYPE, item["type"]["id"]) if item else None
    return {e["id"]: e.get("codename") or e["id"] for e in (type_doc or {}).get("elements", [])}


def asset_uses(tx: Tx, asset: Doc) -> list[AssetUse]:
    """Every variant version that uses ``asset``, sorted."""
    uses: set[AssetUse] = set()
    for variant in tx.all(domain.VARIANT):
        item = tx.get(domain.ITEM, variant["item"]["id"])
        language = tx.get(domain.LANGUAGE, variant["language"]["id"])
        item_name = item["codename"] if item else variant["item"]["id"]
        language_name = language["codename"] if language else variant["language"]["id"]
        codenames = _element_codenames(tx, item)
        for version, elements in _versions(variant):
            for element in elements:
                if _references(element.get("value"), asset):
                    element_name = codenames.get(element["element"]["id"], element["element"]["id"])
                    uses.add(AssetUse(item_name, language_name, element_name, version))
    return sorted(uses)
