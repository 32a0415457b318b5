"""Whether an existing object already is what a program declares, so adopting it writes nothing.

``kontent-resources import`` writes a program that declares an environment exactly as it is; its
first ``up`` must then adopt every object without a single write. These comparisons say when a
write is needed, field by field, for what the request would send; a field the program leaves out
is not sent and so never differs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kontent_resources.client.downloads import AssetDownloads, RefusedUrlError
from kontent_resources.models import Asset
from kontent_resources.models.assets import AssetUpsert
from kontent_resources.models.common import ROOT_FOLDER_ID
from kontent_resources.providers.inputs import AssetInputs


@dataclass(frozen=True)
class AssetState:
    """What an asset holds, in the terms a request uses (codenames for languages, ids otherwise)."""

    title: str | None
    folder_id: str | None
    collection_id: str | None
    codename: str | None
    descriptions: Mapping[str, str]  # language codename -> text; empty texts left out
    has_elements: bool


def same_file(existing: Asset, inputs: AssetInputs, downloads: AssetDownloads) -> bool:
    """The asset's file has the local file's name, type and bytes (compared by SHA-256)."""
    if existing.file_name != inputs.file_name or existing.type != inputs.content_type:
        return False
    if inputs.source_path is None:
        return False
    source = Path(inputs.source_path)
    if existing.size != source.stat().st_size or not existing.url:
        return False
    try:
        return downloads.sha256(existing.url) == inputs.content_sha256
    except RefusedUrlError:
        return False  # a URL outside the asset hosts is not fetched: the local file is uploaded


def same_metadata(
    current: AssetState, body: AssetUpsert, *, folder_id: str | None, collection_id: str | None
) -> bool:
    """Sending ``body`` (whose folder and collection resolve to these ids) would change nothing."""
    if body.title is not None and body.title != current.title:
        return False
    if body.codename is not None and body.codename != current.codename:
        return False
    if _root_as_none(folder_id) != _root_as_none(current.folder_id):
        return False
    if body.collection is not None and collection_id != current.collection_id:
        return False
    for description in body.descriptions or []:
        code = description.language.codename or ""
        if current.descriptions.get(code, "") != description.description:
            return False
    # Taxonomy terms are referenced in several forms; any declared elements are written.
    return body.elements is None or (not body.elements and not current.has_elements)


def _root_as_none(folder_id: str | None) -> str | None:
    return None if folder_id in (None, ROOT_FOLDER_ID) else folder_id
