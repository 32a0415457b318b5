"""The asset links of chosen content items: each asset in each asset element of each variant.

Calls: per item, one read of the item, one of its content type and one list of its variants. The
links become ``VariantAssetLink`` resources; one that is already in its element is adopted without
a write (and, being found there, is left in the content when the stack removes it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kontent_resources.client import KontentClient


@dataclass(frozen=True)
class FoundLink:
    item: str  # codename
    language: str  # codename
    element: str  # codename
    asset_id: str
    rendition_ids: tuple[str, ...]


def read_links(client: KontentClient, items: Sequence[str], languages: dict[str, str]) -> list[FoundLink]:
    """``items`` are references (``codename/x``, ``external-id/x`` or ids); ``languages`` id -> codename."""
    found: list[FoundLink] = []
    for reference in items:
        item = client.items.get(reference)
        content_type = client.types.get(item.type.id or "")
        asset_elements = {e.id: e.codename or e.id for e in content_type.elements if e.type == "asset"}
        for variant in client.variants.list_by_item(item.id):
            language = languages.get(variant.language.id or "", variant.language.id or "")
            for element in variant.elements:
                codename = asset_elements.get(element.element.id or "")
                if codename is None:
                    continue
                found.extend(
                    FoundLink(item.codename or item.id, language, codename, asset_id, renditions)
                    for asset_id, renditions in _entries(element.value)
                )
    return found


def _entries(value: Any) -> list[tuple[str, tuple[str, ...]]]:
    """(asset id, rendition ids) of an asset element's value, as the API returns it (by id)."""
    entries: list[tuple[str, tuple[str, ...]]] = []
    for entry in value or []:
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            renditions = tuple(
                r["id"] for r in entry.get("renditions") or [] if isinstance(r, dict) and "id" in r
            )
            entries.append((entry["id"], renditions))
    return entries
